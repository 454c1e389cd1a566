using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Documents;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Forecast;

/// <summary>A box the forecast page offers.</summary>
public sealed record ForecastBox(Guid Id, string Code, string Name);

/// <summary>What the forecast page and the dashboard's warning read (a stand-in in component tests).</summary>
public interface ICapacityForecasts
{
    /// <summary>How long a shared forecast is served before the next caller computes a new one.</summary>
    TimeSpan RefreshInterval { get; }

    /// <summary>How many days back the typical durations are taken from.</summary>
    int HistoryDays { get; }

    Task<IReadOnlyList<ForecastBox>> BoxesAsync(CancellationToken cancellationToken = default);

    /// <summary>The box's forecast as computed at most <see cref="RefreshInterval"/> ago, shared by every caller; null for an unknown box.</summary>
    Task<CapacityForecast?> SharedForBoxAsync(Guid boxId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reads a box's forecast inputs from the database (<see cref="InputsAsync"/>) and computes its
/// <see cref="CapacityForecast"/> with <see cref="CapacityModel"/>.
/// </summary>
/// <remarks>
/// Singleton; thread-safe. <see cref="SharedForBoxAsync"/> computes a box's forecast at most once per
/// <see cref="CapacityForecastOptions.RefreshInterval"/> for every page and dashboard that shows it: the forecast moves
/// with days, not with single door events, and the queries read 90 days of history.
/// </remarks>
public sealed class CapacityForecasts(
    IApplicationDbContextFactory contextFactory, TimeProvider timeProvider, IOptions<CapacityForecastOptions> options) : ICapacityForecasts
{
    private readonly ConcurrentDictionary<Guid, SharedForecast> _shared = [];

    public TimeSpan RefreshInterval => options.Value.RefreshInterval;

    public int HistoryDays => options.Value.HistoryDays;

    public async Task<IReadOnlyList<ForecastBox>> BoxesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Boxes.AsNoTracking().OrderBy(b => b.Code).Select(b => new ForecastBox(b.Id, b.Code, b.Name)).ToListAsync(cancellationToken);
    }

    public Task<CapacityForecast?> SharedForBoxAsync(Guid boxId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var interval = RefreshInterval;
        var entry = _shared.AddOrUpdate(boxId,
            _ => new SharedForecast(now, new Lazy<Task<CapacityForecast?>>(() => ForBoxAsync(boxId, now, CancellationToken.None))),
            (_, existing) => existing.Serves(now, interval) ? existing
                : new SharedForecast(now, new Lazy<Task<CapacityForecast?>>(() => ForBoxAsync(boxId, now, CancellationToken.None))));
        return entry.Forecast.Value.WaitAsync(cancellationToken);
    }

    /// <summary>The box's forecast from now, computed afresh.</summary>
    public Task<CapacityForecast?> ForBoxAsync(Guid boxId, CancellationToken cancellationToken = default) =>
        ForBoxAsync(boxId, timeProvider.GetUtcNow(), cancellationToken);

    public async Task<CapacityForecast?> ForBoxAsync(Guid boxId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await InputsAsync(boxId, now, cancellationToken) is { } inputs ? CapacityModel.Compute(inputs) : null;

    /// <summary>What the forecast of the box is computed from, as the database holds it at <paramref name="now"/>.</summary>
    public async Task<ForecastInputs?> InputsAsync(Guid boxId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        now = now.ToUniversalTime(); // the database compares instants in UTC
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var box = await db.Boxes.AsNoTracking().Where(b => b.Id == boxId)
            .Select(b => new { b.TimeZoneId, b.OpenAroundTheClock, b.PickupDeadlineDays })
            .FirstOrDefaultAsync(cancellationToken);
        if (box is null)
        {
            return null;
        }
        var periods = await db.OpeningPeriods.AsNoTracking().Where(p => p.BoxId == boxId)
            .Select(p => new { p.Day, p.Opens }).ToListAsync(cancellationToken);
        var opensAt = box.OpenAroundTheClock
            ? Enum.GetValues<DayOfWeek>().ToDictionary(d => d, _ => TimeOnly.MinValue)
            : periods.GroupBy(p => p.Day).ToDictionary(g => g.Key, g => g.Min(p => p.Opens));
        var today = PickupDeadlines.LocalDate(now, box.TimeZoneId);

        var compartments = await db.Compartments.AsNoTracking().Where(c => c.BoxId == boxId)
            .Select(c => new { c.Id, c.Size, c.State, NeedsCheck = c.CheckRequiredSince != null })
            .ToListAsync(cancellationToken);
        var inside = (await db.Documents.AsNoTracking().Where(d => d.BoxId == boxId).Where(InCompartment.Document)
                .Select(d => new { CompartmentId = d.CompartmentId!.Value, d.State, d.ReadyAt, d.PickupDeadline })
                .ToListAsync(cancellationToken))
            .ToLookup(d => d.CompartmentId);
        var current = compartments.Select(c =>
        {
            if (c.State == CompartmentState.OutOfService || (c.State == CompartmentState.Free && c.NeedsCheck))
            {
                return new CompartmentNow(c.Size, CompartmentUse.Blocked);
            }
            if (c.State == CompartmentState.Free)
            {
                return new CompartmentNow(c.Size, CompartmentUse.Free);
            }
            var documents = inside[c.Id].ToList();
            if (documents.Count == 0)
            {
                // Reserved or occupied with nothing the back office expects to leave: it stays so until someone looks.
                return new CompartmentNow(c.Size, CompartmentUse.Occupied);
            }
            if (documents.Any(d => d.State == DocumentState.Loading))
            {
                return new CompartmentNow(c.Size, CompartmentUse.Occupied, now, today.AddDays(box.PickupDeadlineDays));
            }
            // A pickup or retrieval under way: its documents leave today.
            var leaving = documents.All(d => d.State is DocumentState.PickupOpening or DocumentState.Retrieving);
            return new CompartmentNow(c.Size, CompartmentUse.Occupied, documents.Min(d => d.ReadyAt) ?? now,
                leaving ? today : documents.Max(d => d.PickupDeadline) ?? today);
        }).ToList();

        // One household, one compartment (Households.KeyOf, on the columns it reads).
        var arrived = await db.Documents.AsNoTracking().Where(d => d.BoxId == boxId && d.State == DocumentState.Arrived)
            .Select(d => new { d.Id, d.HouseholdId, d.AuthorizedMobileNumberHash, d.MobileNumberHash, d.RegisteredAt })
            .ToListAsync(cancellationToken);
        var waiting = arrived
            .GroupBy(d => d.HouseholdId ?? d.AuthorizedMobileNumberHash ?? d.MobileNumberHash ?? $"document:{d.Id}", StringComparer.Ordinal)
            .Select(g => new WaitingHousehold(g.Count(), g.Min(d => d.RegisteredAt)))
            .ToList();

        var since = now - TimeSpan.FromDays(settings.HistoryDays);
        var pickups = await (
                from d in db.Documents.AsNoTracking()
                join c in db.Compartments.AsNoTracking() on d.CompartmentId equals c.Id
                where d.BoxId == boxId && d.PickedUpAt >= since && d.PickedUpAt <= now && d.ReadyAt != null
                select new { c.Size, ReadyAt = d.ReadyAt!.Value, PickedUpAt = d.PickedUpAt!.Value })
            .ToListAsync(cancellationToken);
        var loadings = await db.Documents.AsNoTracking()
            .Where(d => d.BoxId == boxId && d.ReadyAt >= since && d.ReadyAt <= now)
            .Select(d => new { d.RegisteredAt, ReadyAt = d.ReadyAt!.Value })
            .ToListAsync(cancellationToken);
        var history = new ForecastHistory(
            pickups.GroupBy(p => p.Size).ToDictionary(g => g.Key, g => (IReadOnlyList<TimeSpan>)g.Select(p => p.PickedUpAt - p.ReadyAt).ToList()),
            loadings.Select(l => l.ReadyAt - l.RegisteredAt).Where(d => d >= TimeSpan.Zero).ToList());

        return new ForecastInputs(now, new ForecastCalendar(box.TimeZoneId, opensAt, box.PickupDeadlineDays), current, waiting, history,
            new ForecastRules(settings.MinimumSamples, settings.DefaultLoadToPickup));
    }

    private sealed record SharedForecast(DateTimeOffset Since, Lazy<Task<CapacityForecast?>> Forecast)
    {
        // A failed computation is not kept: the next caller tries again.
        public bool Serves(DateTimeOffset now, TimeSpan interval) =>
            now - Since < interval && now >= Since && !(Forecast.IsValueCreated && Forecast.Value.IsFaulted);
    }
}
