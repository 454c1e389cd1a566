using BackOffice.Application.Abstractions;
using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Application.Pickup;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Occupancy;

/// <summary>
/// The live state of every box for the dashboards: one snapshot per box in memory, kept current from the change feed
/// (saved units of work, door events) and a short poll of the boxes (heartbeats, a box falling silent, a new day).
/// Each open dashboard subscribes and gets its own bounded channel; changes arriving within a short window are one
/// update, computed once and handed to every subscriber.
/// </summary>
/// <remarks>Singleton. The hub and the services stay thin: they only say what changed.</remarks>
public sealed partial class BoxMonitor(
    IApplicationDbContextFactory contextFactory,
    OccupancyChanges changes,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> bridgeSettings,
    IOptions<PickupOptions> pickupSettings,
    ILogger<BoxMonitor> logger) : BackgroundService, IBridgeObserver, IBoxMonitor
{
    /// <summary>Changes arriving within this window become one update (a burst of door events is one render).</summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the boxes are looked at for heartbeats, silence and a new day.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private const int SubscriberCapacity = 64;

    private static readonly DocumentState[] InCompartment =
        [DocumentState.Loading, DocumentState.ReadyForPickup, DocumentState.PickupOpening, DocumentState.Retrieving];

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, BoxState> _boxes = [];
    private readonly List<OccupancySubscription> _subscribers = [];
    private readonly SemaphoreSlim _loading = new(1, 1);
    private bool _allLoaded;

    public OccupancySubscription Subscribe(Guid? boxId)
    {
        var subscription = new OccupancySubscription(boxId, SubscriberCapacity, Unsubscribe);
        lock (_gate)
        {
            _subscribers.Add(subscription);
        }
        return subscription;
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>A box with every cell; subscribe first, then take the snapshot, and apply updates on top.</summary>
    public async Task<BoxSnapshot?> SnapshotAsync(Guid boxId, CancellationToken cancellationToken = default)
    {
        var state = await EnsureLoadedAsync(boxId, cancellationToken);
        if (state is null)
        {
            return null;
        }
        lock (_gate)
        {
            return new BoxSnapshot(state.Summary, state.Cells.Values.OrderBy(c => c.Module).ThenBy(c => c.Row).ToList());
        }
    }

    /// <summary>Every box's summary, ordered by code.</summary>
    public async Task<IReadOnlyList<BoxOccupancy>> OverviewAsync(CancellationToken cancellationToken = default)
    {
        if (!_allLoaded)
        {
            await using var db = await contextFactory.CreateAsync(cancellationToken);
            foreach (var id in await db.Boxes.AsNoTracking().Select(b => b.Id).ToListAsync(cancellationToken))
            {
                await EnsureLoadedAsync(id, cancellationToken);
            }
            _allLoaded = true;
        }
        lock (_gate)
        {
            return _boxes.Values.Select(b => b.Summary).OrderBy(b => b.Code, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The box with this code, or null.</summary>
    public async Task<Guid?> FindBoxAsync(string code, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Boxes.AsNoTracking().Where(b => b.Code == code).Select(b => (Guid?)b.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The compartment that holds the document with this number in the box, or null (for the dashboard's search).</summary>
    public async Task<Guid?> FindCompartmentOfDocumentAsync(Guid boxId, string documentNumber, CancellationToken cancellationToken = default)
    {
        var number = DocumentRules.NormalizeDocumentNumber(documentNumber);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Documents.AsNoTracking()
            .Where(d => d.BoxId == boxId && d.DocumentNumber == number && InCompartment.Contains(d.State))
            .Select(d => d.CompartmentId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public Task DoorChangedAsync(Guid compartmentId, DoorState state, CancellationToken cancellationToken)
    {
        changes.CompartmentChanged(compartmentId);
        return Task.CompletedTask;
    }

    public Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        changes.CompartmentChanged(command.CompartmentId);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = PollAsync(stoppingToken);
        var reader = changes.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Let a burst arrive, then take all of it as one batch.
                await Task.Delay(BatchWindow, timeProvider, stoppingToken);
                var compartments = new HashSet<Guid>();
                var boxes = new HashSet<Guid>();
                while (reader.TryRead(out var change))
                {
                    if (change.CompartmentId is { } c)
                    {
                        compartments.Add(c);
                    }
                    if (change.BoxId is { } b)
                    {
                        boxes.Add(b);
                    }
                }
                try
                {
                    await ApplyAsync(compartments, boxes, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogApplyFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await poll;
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Guid[] cached;
                lock (_gate)
                {
                    cached = [.. _boxes.Keys];
                }
                foreach (var id in cached)
                {
                    changes.BoxChanged(id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ApplyAsync(HashSet<Guid> compartmentIds, HashSet<Guid> boxIds, CancellationToken cancellationToken)
    {
        Guid[] cached;
        lock (_gate)
        {
            cached = [.. _boxes.Keys];
        }
        if (cached.Length == 0)
        {
            return;
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var facts = compartmentIds.Count == 0 ? [] : await LoadFactsAsync(db, null, compartmentIds, cancellationToken);
        var touched = facts.Select(f => f.BoxId).Concat(boxIds).Where(cached.Contains).ToHashSet();
        var rows = await LoadBoxRowsAsync(db, touched, cancellationToken);
        var pickups = await PickupsTodayAsync(db, rows.Where(r => facts.Any(f => f.BoxId == r.Id) || DayChanged(r)).ToList(), cancellationToken);

        var updates = new List<(OccupancyUpdate Update, Guid BoxId)>();
        lock (_gate)
        {
            foreach (var row in rows)
            {
                if (!_boxes.TryGetValue(row.Id, out var state))
                {
                    continue;
                }
                var today = LocalToday(row.TimeZoneId);
                var rederiveAll = today != state.Today || !state.Row.Faults.SequenceEqual(row.Faults);
                state.Row = row;
                state.Today = today;
                if (pickups.TryGetValue(row.Id, out var count))
                {
                    state.PickupsToday = count;
                }
                foreach (var fact in facts.Where(f => f.BoxId == row.Id))
                {
                    state.Facts[fact.Id] = fact;
                }
                var changed = new List<CompartmentCell>();
                var toDerive = rederiveAll ? state.Facts.Values : facts.Where(f => f.BoxId == row.Id);
                foreach (var fact in toDerive)
                {
                    var cell = CellStates.Derive(fact, row.Faults, today, DueSoonDays);
                    if (!state.Cells.TryGetValue(fact.Id, out var previous) || previous != cell)
                    {
                        state.Cells[fact.Id] = cell;
                        changed.Add(cell);
                    }
                }
                var summary = Summarize(state);
                if (changed.Count > 0 || !SameSummary(summary, state.Summary))
                {
                    state.Summary = summary;
                    updates.Add((new OccupancyUpdate(summary, changed), row.Id));
                }
            }
            foreach (var (update, boxId) in updates)
            {
                var forOverview = update with { Cells = [] };
                foreach (var subscriber in _subscribers)
                {
                    if (subscriber.BoxId == boxId)
                    {
                        subscriber.Offer(update);
                    }
                    else if (subscriber.BoxId is null)
                    {
                        subscriber.Offer(forOverview);
                    }
                }
            }
        }
    }

    private bool DayChanged(BoxRow row)
    {
        lock (_gate)
        {
            return _boxes.TryGetValue(row.Id, out var state) && state.Today != LocalToday(row.TimeZoneId);
        }
    }

    private async Task<BoxState?> EnsureLoadedAsync(Guid boxId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_boxes.TryGetValue(boxId, out var cached))
            {
                return cached;
            }
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                if (_boxes.TryGetValue(boxId, out var cached))
                {
                    return cached;
                }
            }
            await using var db = await contextFactory.CreateAsync(cancellationToken);
            var row = (await LoadBoxRowsAsync(db, [boxId], cancellationToken)).FirstOrDefault();
            if (row is null)
            {
                return null;
            }
            var facts = await LoadFactsAsync(db, boxId, null, cancellationToken);
            var pickups = await PickupsTodayAsync(db, [row], cancellationToken);
            var today = LocalToday(row.TimeZoneId);
            var state = new BoxState
            {
                Row = row,
                Today = today,
                PickupsToday = pickups.GetValueOrDefault(boxId),
                Facts = facts.ToDictionary(f => f.Id),
                Cells = facts.Select(f => CellStates.Derive(f, row.Faults, today, DueSoonDays)).ToDictionary(c => c.Id),
            };
            state.Summary = Summarize(state);
            lock (_gate)
            {
                _boxes[boxId] = state;
            }
            return state;
        }
        finally
        {
            _loading.Release();
        }
    }

    private int DueSoonDays => pickupSettings.Value.ReminderDaysBeforeDeadline;

    private BoxOccupancy Summarize(BoxState state)
    {
        var row = state.Row;
        var facts = state.Facts.Values;
        var usable = facts.Count(f => f.State != CompartmentState.OutOfService);
        var inUse = facts.Count(f => f.State is CompartmentState.Occupied or CompartmentState.ReservedForLoading);
        int Free(CompartmentSize size) => facts.Count(f => f.State == CompartmentState.Free && f.Size == size);
        var now = timeProvider.GetUtcNow();
        return new BoxOccupancy(
            row.Id, row.Code, row.Name, row.LastHeartbeatAt is { } last && now - last <= bridgeSettings.Value.HeartbeatTimeout,
            row.LastHeartbeatAt, facts.Count, inUse, Free(CompartmentSize.S), Free(CompartmentSize.M), Free(CompartmentSize.L),
            facts.Sum(f => f.Documents),
            facts.Count(f => f.Documents > 0 && f.Deadline == state.Today),
            facts.Count(f => f.Documents > 0 && f.Deadline < state.Today),
            state.PickupsToday, row.BinFillPercent, row.Faults)
        {
            OccupancyPercent = usable == 0 ? 0 : Math.Round(inUse * 100.0 / usable, 1),
        };
    }

    private static bool SameSummary(BoxOccupancy a, BoxOccupancy? b) =>
        b is not null && a with { Faults = [] } == b with { Faults = [] } && a.Faults.SequenceEqual(b.Faults);

    private DateOnly LocalToday(string timeZoneId) => PickupDeadlines.LocalDate(timeProvider.GetUtcNow(), timeZoneId);

    private static async Task<List<BoxRow>> LoadBoxRowsAsync(IApplicationDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        return (await db.Boxes.AsNoTracking().Where(b => ids.Contains(b.Id))
                .Select(b => new { b.Id, b.Code, b.Name, b.TimeZoneId, b.LastHeartbeatAt, b.ReturnBinFillPercent, b.Faults })
                .ToListAsync(cancellationToken))
            .Select(b => new BoxRow(b.Id, b.Code, b.Name, b.TimeZoneId, b.LastHeartbeatAt, b.ReturnBinFillPercent, b.Faults))
            .ToList();
    }

    private async Task<Dictionary<Guid, int>> PickupsTodayAsync(IApplicationDbContext db, IReadOnlyCollection<BoxRow> rows, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, int>();
        foreach (var row in rows)
        {
            var since = PickupDeadlines.StartOf(LocalToday(row.TimeZoneId), row.TimeZoneId);
            result[row.Id] = await db.Documents.CountAsync(d => d.BoxId == row.Id && d.PickedUpAt >= since, cancellationToken);
        }
        return result;
    }

    private static async Task<List<CompartmentFacts>> LoadFactsAsync(
        IApplicationDbContext db, Guid? boxId, IReadOnlyCollection<Guid>? compartmentIds, CancellationToken cancellationToken)
    {
        var compartments = db.Compartments.AsNoTracking();
        var documents = db.Documents.AsNoTracking().Where(d => d.CompartmentId != null && InCompartment.Contains(d.State));
        if (boxId is { } box)
        {
            compartments = compartments.Where(c => c.BoxId == box);
            documents = documents.Where(d => d.BoxId == box);
        }
        if (compartmentIds is not null)
        {
            compartments = compartments.Where(c => compartmentIds.Contains(c.Id));
            documents = documents.Where(d => compartmentIds.Contains(d.CompartmentId!.Value));
        }
        var rows = await compartments
            .Select(c => new { c.Id, c.BoxId, c.Label, c.Module, c.Row, c.Size, c.Accessible, c.State, c.OutOfServiceReason, c.CheckReason, c.DoorState, c.DoorStateAt })
            .ToListAsync(cancellationToken);
        var inside = (await documents
                .Select(d => new { CompartmentId = d.CompartmentId!.Value, d.Id, d.DocumentNumber, d.ReadyAt, d.PickupDeadline, d.PickupLockedAt, d.BlockedReason })
                .ToListAsync(cancellationToken))
            .ToLookup(d => d.CompartmentId);
        return rows.Select(c =>
        {
            var docs = inside[c.Id].OrderBy(d => d.DocumentNumber, StringComparer.Ordinal).ToList();
            var first = docs.FirstOrDefault();
            return new CompartmentFacts(c.Id, c.BoxId, c.Label, c.Module, c.Row, c.Size, c.Accessible, c.State, c.OutOfServiceReason, c.CheckReason, c.DoorState,
                docs.Count, first?.Id, first is null ? null : DocumentRules.MaskDocumentNumber(first.DocumentNumber),
                docs.Min(d => d.ReadyAt), docs.Min(d => d.PickupDeadline), docs.Any(d => d.PickupLockedAt is not null),
                docs.Select(d => d.BlockedReason).FirstOrDefault(r => r is not null), c.DoorStateAt);
        }).ToList();
    }

    private void Unsubscribe(OccupancySubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    public override void Dispose()
    {
        _loading.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying box changes to the dashboards failed; the next change or poll retries")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);

    private sealed record BoxRow(Guid Id, string Code, string Name, string TimeZoneId, DateTimeOffset? LastHeartbeatAt, int? BinFillPercent, IReadOnlyList<string> Faults);

    private sealed class BoxState
    {
        public required BoxRow Row { get; set; }

        public DateOnly Today { get; set; }

        public int PickupsToday { get; set; }

        public required Dictionary<Guid, CompartmentFacts> Facts { get; init; }

        public required Dictionary<Guid, CompartmentCell> Cells { get; init; }

        public BoxOccupancy Summary { get; set; } = null!;
    }
}
