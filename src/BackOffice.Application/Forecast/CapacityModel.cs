using BackOffice.Application.Documents;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Forecast;

/// <summary>What a compartment is now, for the forecast: free, holding documents, or not usable (out of service, waiting for a check).</summary>
public enum CompartmentUse
{
    Free,
    Occupied,
    Blocked,
}

/// <summary>
/// One compartment as it is now. For an occupied one: when its documents were loaded and their last pickup day; without
/// <paramref name="LoadedAt"/> nothing the back office knows of will leave it (it stays occupied).
/// </summary>
public sealed record CompartmentNow(CompartmentSize Size, CompartmentUse Use, DateTimeOffset? LoadedAt = null, DateOnly? Deadline = null);

/// <summary>A household's documents registered at the counter and not loaded yet: they go into one compartment together.</summary>
public sealed record WaitingHousehold(int Documents, DateTimeOffset RegisteredAt);

/// <summary>
/// Durations seen in the last days: loading to pickup of picked-up documents by the size of their compartment, and
/// registration to loading of loaded ones.
/// </summary>
public sealed record ForecastHistory(
    IReadOnlyDictionary<CompartmentSize, IReadOnlyList<TimeSpan>> LoadToPickup,
    IReadOnlyList<TimeSpan> RegistrationToLoading);

/// <summary>The box's calendar: its time zone, and on which weekdays it opens at what time (a 24/7 box: every day at 00:00).</summary>
public sealed record ForecastCalendar(string TimeZoneId, IReadOnlyDictionary<DayOfWeek, TimeOnly> OpensAt, int PickupDeadlineDays);

/// <summary>How much history counts as enough, and what is assumed without it.</summary>
public sealed record ForecastRules(int MinimumSamples, TimeSpan DefaultLoadToPickup, int Days = CapacityModel.DefaultDays);

/// <summary>Everything the forecast of one box is computed from; plain values, no database.</summary>
public sealed record ForecastInputs(
    DateTimeOffset Now,
    ForecastCalendar Calendar,
    IReadOnlyList<CompartmentNow> Compartments,
    IReadOnlyList<WaitingHousehold> Waiting,
    ForecastHistory History,
    ForecastRules Rules);

/// <summary>Where a typical duration came from: the size's own history, the box's history of all sizes, or the setting.</summary>
public enum ForecastSource
{
    SizeHistory,
    BoxHistory,
    Default,
}

/// <summary>
/// Free compartments of one size at the end of each forecast day; <paramref name="RunsOutOn"/>: the first day none is
/// free (null: some stay free all days). <paramref name="TypicalLoadToPickup"/>: the median it was computed with.
/// </summary>
public sealed record SizeForecast(
    CompartmentSize Size, int Compartments, int Blocked, IReadOnlyList<int> FreePerDay, DateOnly? RunsOutOn,
    TimeSpan TypicalLoadToPickup, ForecastSource Source, int Samples);

/// <summary>
/// The forecast of one box: free compartments per size for <see cref="Days"/> days from <paramref name="FirstDay"/>
/// (today at the box), and the basis it was computed on.
/// </summary>
public sealed record CapacityForecast(
    DateTimeOffset ComputedAt, DateOnly FirstDay, IReadOnlyList<SizeForecast> Sizes, int WaitingHouseholds,
    TimeSpan? TypicalRegistrationToLoading)
{
    public IEnumerable<DateOnly> Days => Enumerable.Range(0, Sizes.Count == 0 ? 0 : Sizes[0].FreePerDay.Count).Select(FirstDay.AddDays);

    /// <summary>The sizes that run out within the forecast, soonest first.</summary>
    public IEnumerable<SizeForecast> RunningOut => Sizes.Where(s => s.RunsOutOn is not null).OrderBy(s => s.RunsOutOn).ThenBy(s => s.Size);
}

/// <summary>
/// The capacity forecast as a pure calculation (docs/capacity-forecast.md): free compartments per size and day from the
/// compartments now, the households waiting at the counter, the typical durations of the recent past and the deadlines.
/// </summary>
/// <remarks>
/// Days are the box's calendar days; a count is "at the end of the day". A compartment freed on a day is counted free that
/// evening but offered to loadings only from the next day, so the forecast never promises a compartment twice.
/// </remarks>
public static class CapacityModel
{
    public const int DefaultDays = 14;

    public static CapacityForecast Compute(ForecastInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var calendar = inputs.Calendar;
        var today = PickupDeadlines.LocalDate(inputs.Now, calendar.TimeZoneId);
        var days = inputs.Rules.Days;
        var lastDay = today.AddDays(days - 1);
        var sizes = inputs.Compartments.Select(c => c.Size).Distinct().Order().ToList();
        var durations = sizes.ToDictionary(s => s, s => Typical(inputs.History, s, inputs.Rules));

        var usable = sizes.ToDictionary(s => s, s => inputs.Compartments.Count(c => c.Size == s && c.Use != CompartmentUse.Blocked));
        var stays = new List<Stay>();
        foreach (var compartment in inputs.Compartments.Where(c => c.Use == CompartmentUse.Occupied))
        {
            var leaves = compartment.LoadedAt is { } loadedAt
                ? LeaveDay(loadedAt, compartment.Deadline ?? today, durations[compartment.Size].Durations, inputs.Now, calendar.TimeZoneId, today)
                : DateOnly.MaxValue;
            stays.Add(new Stay(compartment.Size, DateOnly.MinValue, leaves));
        }

        // Registration to loading: the recent median with enough history, else "on the next opening day" (no delay).
        var delays = inputs.History.RegistrationToLoading;
        TimeSpan? typicalDelay = delays.Count >= inputs.Rules.MinimumSamples ? Median(delays.Order().ToList()) : null;
        var pending = inputs.Waiting
            .Select(w => (Household: w, Planned: Later(inputs.Now, w.RegisteredAt + (typicalDelay ?? TimeSpan.Zero))))
            .OrderBy(p => p.Planned).ThenBy(p => p.Household.RegisteredAt)
            .ToList();
        var queue = new List<(WaitingHousehold Household, DateTimeOffset Planned)>();
        for (var day = today; day <= lastDay; day = day.AddDays(1))
        {
            if (!calendar.OpensAt.TryGetValue(day.DayOfWeek, out var opens))
            {
                continue; // nobody loads a closed box; who is due waits for the next opening day
            }
            var due = day;
            queue.AddRange(pending.Where(p => PickupDeadlines.LocalDate(p.Planned, calendar.TimeZoneId) <= due));
            pending.RemoveAll(p => PickupDeadlines.LocalDate(p.Planned, calendar.TimeZoneId) <= due);
            var opening = Later(inputs.Now, At(day, opens, calendar.TimeZoneId));
            var waiting = new List<(WaitingHousehold Household, DateTimeOffset Planned)>();
            foreach (var (household, planned) in queue)
            {
                var needed = DocumentLoading.SizeFor(household.Documents);
                // As the loading page proposes: the smallest free size that fits.
                var size = sizes.Where(s => s >= needed)
                    .Cast<CompartmentSize?>()
                    .FirstOrDefault(s => usable[s!.Value] - stays.Count(x => x.Size == s && x.From <= due && x.Leaves >= due) > 0);
                if (size is not { } chosen)
                {
                    waiting.Add((household, planned)); // nothing fits today: it waits at the counter for the next day
                    continue;
                }
                var deadline = day.AddDays(calendar.PickupDeadlineDays);
                var loadedAt = Later(opening, planned);
                stays.Add(new Stay(chosen, day, LeaveDay(loadedAt, deadline, durations[chosen].Durations, inputs.Now, calendar.TimeZoneId, today)));
            }
            queue = waiting;
        }

        var forecasts = sizes.Select(size =>
        {
            var free = Enumerable.Range(0, days)
                .Select(i => today.AddDays(i))
                .Select(day => usable[size] - stays.Count(x => x.Size == size && x.From <= day && day < x.Leaves))
                .ToList();
            var firstEmpty = free.FindIndex(f => f <= 0);
            var typical = durations[size];
            return new SizeForecast(size, inputs.Compartments.Count(c => c.Size == size),
                inputs.Compartments.Count(c => c.Size == size && c.Use == CompartmentUse.Blocked), free,
                // A size with no usable compartment at all does not "run out": it is out of service (the dashboard shows why).
                firstEmpty < 0 || usable[size] == 0 ? null : today.AddDays(firstEmpty), Median(typical.Durations), typical.Source, typical.Samples);
        }).ToList();
        return new CapacityForecast(inputs.Now, today, forecasts, inputs.Waiting.Count, typicalDelay);
    }

    /// <summary>
    /// The durations a size's loadings are expected from: its own history with enough samples, else the box's history of
    /// all sizes with enough samples, else the setting's default alone.
    /// </summary>
    internal static (List<TimeSpan> Durations, ForecastSource Source, int Samples) Typical(ForecastHistory history, CompartmentSize size, ForecastRules rules)
    {
        var own = history.LoadToPickup.TryGetValue(size, out var list) ? list : [];
        if (own.Count >= rules.MinimumSamples)
        {
            return (own.Order().ToList(), ForecastSource.SizeHistory, own.Count);
        }
        var all = history.LoadToPickup.Values.SelectMany(d => d).Order().ToList();
        return all.Count >= rules.MinimumSamples
            ? (all, ForecastSource.BoxHistory, all.Count)
            : ([rules.DefaultLoadToPickup], ForecastSource.Default, 0);
    }

    /// <summary>
    /// The day a compartment loaded at <paramref name="loadedAt"/> is expected free: after the median of the durations
    /// longer than it has been waiting already (those picked up sooner tell nothing about a document still there), at the
    /// latest on its deadline, when it goes back to the counter; never before today.
    /// </summary>
    internal static DateOnly LeaveDay(
        DateTimeOffset loadedAt, DateOnly deadline, IReadOnlyList<TimeSpan> sortedDurations, DateTimeOffset now, string timeZoneId, DateOnly today)
    {
        var waited = now - loadedAt;
        var longer = sortedDurations.Where(d => d > waited).ToList();
        var day = longer.Count == 0 ? deadline : Min(PickupDeadlines.LocalDate(loadedAt + Median(longer), timeZoneId), deadline);
        return Max(day, today);
    }

    /// <summary>The middle value of sorted durations (the mean of the two middle ones for an even count).</summary>
    internal static TimeSpan Median(IReadOnlyList<TimeSpan> sorted)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static DateTimeOffset At(DateOnly day, TimeOnly time, string timeZoneId)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId).GetUtcOffset(local));
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a <= b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a >= b ? a : b;

    /// <summary>A compartment of <paramref name="Size"/> occupied from the day <paramref name="From"/> until <paramref name="Leaves"/> (free that evening).</summary>
    private sealed record Stay(CompartmentSize Size, DateOnly From, DateOnly Leaves);
}
