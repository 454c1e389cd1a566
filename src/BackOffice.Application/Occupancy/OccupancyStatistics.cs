using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Documents;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Occupancy;

/// <summary>One day's value of a chart.</summary>
public sealed record DayValue(DateOnly Day, double Value);

/// <summary>The charts of a box over the last days: occupancy, pickups per day and per hour, time from loading to pickup.</summary>
public sealed record BoxStatistics(
    IReadOnlyList<DayValue> OccupancyPercent,
    IReadOnlyList<DayValue> PickupsPerDay,
    IReadOnlyList<int> PickupsPerHour,
    TimeSpan? AverageLoadToPickup,
    int Pickups);

/// <summary>Statistics for the dashboard's charts, computed from the documents' timestamps (no personal data).</summary>
/// <remarks>Singleton.</remarks>
public sealed class OccupancyStatistics(IApplicationDbContextFactory contextFactory, TimeProvider timeProvider)
{
    /// <summary>A shared load is used for at most this long (a new day, a change the live summary does not count).</summary>
    public static readonly TimeSpan SharedFor = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, SharedLoad> _shared = [];

    /// <summary>
    /// The last 30 days of a box as of a state of its live summary (<paramref name="version"/>: what moves the charts,
    /// such as pickups today and compartments in use). Every open dashboard of the box at that state shares one load,
    /// so a pickup costs one query for all of them, not one per screen.
    /// </summary>
    public Task<BoxStatistics?> SharedForBoxAsync(Guid boxId, object version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var now = timeProvider.GetUtcNow();
        var load = _shared.AddOrUpdate(boxId,
            _ => new SharedLoad(version, now, new Lazy<Task<BoxStatistics?>>(() => ForBoxAsync(boxId))),
            (_, existing) => existing.Serves(version, now) ? existing
                : new SharedLoad(version, now, new Lazy<Task<BoxStatistics?>>(() => ForBoxAsync(boxId))));
        return load.Task.Value.WaitAsync(cancellationToken);
    }

    public async Task<BoxStatistics?> ForBoxAsync(Guid boxId, int days = 30, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var box = await db.Boxes.AsNoTracking().Where(b => b.Id == boxId).Select(b => new { b.TimeZoneId }).FirstOrDefaultAsync(cancellationToken);
        if (box is null)
        {
            return null;
        }
        var now = timeProvider.GetUtcNow();
        var today = PickupDeadlines.LocalDate(now, box.TimeZoneId);
        var firstDay = today.AddDays(1 - days);
        var from = PickupDeadlines.StartOf(firstDay, box.TimeZoneId);
        var usable = await db.Compartments.CountAsync(c => c.BoxId == boxId && c.State != CompartmentState.OutOfService, cancellationToken);
        // Every document that sat in a compartment at some time in the period.
        var stays = await db.Documents.AsNoTracking()
            .Where(d => d.BoxId == boxId && d.ReadyAt != null && d.CompartmentId != null
                && (d.PickedUpAt == null || d.PickedUpAt >= from) && (d.ReturnedToCounterAt == null || d.ReturnedToCounterAt >= from))
            .Select(d => new { CompartmentId = d.CompartmentId!.Value, ReadyAt = d.ReadyAt!.Value, d.PickedUpAt, d.ReturnedToCounterAt })
            .ToListAsync(cancellationToken);

        var occupancy = new List<DayValue>(days);
        var pickupsPerDay = new List<DayValue>(days);
        for (var day = firstDay; day <= today; day = day.AddDays(1))
        {
            var nextDayStart = PickupDeadlines.StartOf(day.AddDays(1), box.TimeZoneId);
            // Occupancy as at the day's end, today as at now; pickups over the whole day (one made this very instant
            // counts, as it does in the summary's "Abholungen heute").
            var end = day == today ? now : nextDayStart;
            var dayStart = PickupDeadlines.StartOf(day, box.TimeZoneId);
            var occupied = stays
                .Where(s => s.ReadyAt <= end && (s.PickedUpAt is null || s.PickedUpAt > end) && (s.ReturnedToCounterAt is null || s.ReturnedToCounterAt > end))
                .Select(s => s.CompartmentId).Distinct().Count();
            occupancy.Add(new DayValue(day, usable == 0 ? 0 : Math.Round(occupied * 100.0 / usable, 1)));
            pickupsPerDay.Add(new DayValue(day, stays.Count(s => s.PickedUpAt >= dayStart && s.PickedUpAt < nextDayStart)));
        }
        var pickedUp = stays.Where(s => s.PickedUpAt is not null).ToList();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(box.TimeZoneId);
        var perHour = new int[24];
        foreach (var stay in pickedUp)
        {
            perHour[TimeZoneInfo.ConvertTime(stay.PickedUpAt!.Value, zone).Hour]++;
        }
        TimeSpan? average = pickedUp.Count == 0 ? null
            : TimeSpan.FromTicks((long)pickedUp.Average(s => (s.PickedUpAt!.Value - s.ReadyAt).Ticks));
        return new BoxStatistics(occupancy, pickupsPerDay, perHour, average, pickedUp.Count);
    }

    private sealed record SharedLoad(object Version, DateTimeOffset Started, Lazy<Task<BoxStatistics?>> Task)
    {
        // A failed load is not shared: the next dashboard tries again.
        public bool Serves(object version, DateTimeOffset now) =>
            Equals(Version, version) && now - Started < SharedFor && !(Task.IsValueCreated && (Task.Value.IsFaulted || Task.Value.IsCanceled));
    }
}
