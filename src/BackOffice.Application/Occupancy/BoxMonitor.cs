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
/// The live state of every box for the dashboards: one immutable snapshot per box in memory, kept current from the
/// change feed (saved units of work, door events) and a short poll of the boxes (heartbeats, a box falling silent, a
/// new day). Changes arriving within a short window become one new snapshot, computed once and shared by every open
/// dashboard of the box (<see cref="WatchBoxAsync"/>: the snapshot now and each later one, from one call).
/// </summary>
/// <remarks>Singleton. The hub and the services stay thin: they only say what changed.</remarks>
public sealed partial class BoxMonitor(
    IApplicationDbContextFactory contextFactory,
    OccupancyChanges changes,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> bridgeSettings,
    IOptions<PickupOptions> pickupSettings,
    ILogger<BoxMonitor> logger) : BackgroundService, IBoxMonitor
{
    /// <summary>
    /// At most one update per window: the first change after a quiet spell is shown at once, the ones arriving within the
    /// window after it become the next update (a burst of door events is two renders, not one per event).
    /// </summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the boxes are looked at for heartbeats, silence and a new day.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, BoxState> _boxes = [];
    private readonly Dictionary<Guid, List<LiveFeed<BoxSnapshot>>> _boxWatchers = [];
    private readonly List<LiveFeed<IReadOnlyList<BoxOccupancy>>> _overviewWatchers = [];
    private readonly SemaphoreSlim _loading = new(1, 1);
    private bool _allLoaded;

    /// <summary>Open dashboards and overviews (for the tests and the benchmark).</summary>
    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _boxWatchers.Values.Sum(w => w.Count) + _overviewWatchers.Count;
            }
        }
    }

    /// <summary>
    /// One box live: its snapshot now and every later one (newest only, if the reader fell behind), taken under the same
    /// lock that publishes, so nothing between the two is missed. Null when no box has this id. Dispose to stop.
    /// </summary>
    public async Task<LiveFeed<BoxSnapshot>?> WatchBoxAsync(Guid boxId, CancellationToken cancellationToken = default)
    {
        if (await EnsureLoadedAsync(boxId, cancellationToken) is null)
        {
            return null;
        }
        lock (_gate)
        {
            var feed = new LiveFeed<BoxSnapshot>(_boxes[boxId].Snapshot, StopWatching);
            if (!_boxWatchers.TryGetValue(boxId, out var watchers))
            {
                _boxWatchers[boxId] = watchers = [];
            }
            watchers.Add(feed);
            return feed;
        }
    }

    /// <summary>Every box's summary, ordered by code: now and whenever one changes. Dispose to stop.</summary>
    public async Task<LiveFeed<IReadOnlyList<BoxOccupancy>>> WatchOverviewAsync(CancellationToken cancellationToken = default)
    {
        await EnsureAllLoadedAsync(cancellationToken);
        lock (_gate)
        {
            var feed = new LiveFeed<IReadOnlyList<BoxOccupancy>>(Overview(), StopWatching);
            _overviewWatchers.Add(feed);
            return feed;
        }
    }

    /// <summary>A box with every cell, as it is now.</summary>
    public async Task<BoxSnapshot?> SnapshotAsync(Guid boxId, CancellationToken cancellationToken = default) =>
        (await EnsureLoadedAsync(boxId, cancellationToken))?.Snapshot;

    /// <summary>Every box's summary, ordered by code, as it is now.</summary>
    public async Task<IReadOnlyList<BoxOccupancy>> OverviewAsync(CancellationToken cancellationToken = default)
    {
        await EnsureAllLoadedAsync(cancellationToken);
        lock (_gate)
        {
            return Overview();
        }
    }

    private async Task EnsureAllLoadedAsync(CancellationToken cancellationToken)
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
    }

    // Under _gate.
    private List<BoxOccupancy> Overview() =>
        _boxes.Values.Select(b => b.Snapshot.Box).OrderBy(b => b.Code, StringComparer.Ordinal).ToList();

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
            .Where(InCompartment.Document)
            .Where(d => d.BoxId == boxId && d.DocumentNumber == number)
            .Select(d => d.CompartmentId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = PollAsync(stoppingToken);
        var reader = changes.Reader;
        try
        {
            var lastBatch = long.MinValue;
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // A change after a quiet spell goes out at once; within a burst, one batch per window takes the rest.
                var sinceLast = lastBatch == long.MinValue ? BatchWindow : timeProvider.GetElapsedTime(lastBatch);
                if (sinceLast < BatchWindow)
                {
                    await Task.Delay(BatchWindow - sinceLast, timeProvider, stoppingToken);
                }
                lastBatch = timeProvider.GetTimestamp();
                var compartments = new HashSet<Guid>();
                var boxes = new HashSet<Guid>();
                var doors = new Dictionary<Guid, ReportedDoor>();
                var everything = false;
                while (reader.TryRead(out var change))
                {
                    everything |= change.IsEverything;
                    if (change.CompartmentId is { } c && change.Door is { } door)
                    {
                        // Only the newest by the box's clock (reports can arrive out of order after a reconnect).
                        if (!doors.TryGetValue(c, out var seen) || seen.At <= door.At)
                        {
                            doors[c] = door;
                        }
                    }
                    else if (change.CompartmentId is { } c2)
                    {
                        compartments.Add(c2);
                    }
                    if (change.BoxId is { } b)
                    {
                        boxes.Add(b);
                    }
                }
                try
                {
                    await ApplyAsync(compartments, doors, boxes, everything, stoppingToken);
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
                    changes.Polled(id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ApplyAsync(
        HashSet<Guid> compartmentIds, Dictionary<Guid, ReportedDoor> doors, HashSet<Guid> boxIds, bool everything, CancellationToken cancellationToken)
    {
        Guid[] cached;
        List<CompartmentFacts> doorFacts = [];
        lock (_gate)
        {
            cached = [.. _boxes.Keys];
            if (everything)
            {
                // Changes from other instances may have been missed: every compartment shown is read again.
                boxIds.UnionWith(cached);
                compartmentIds.UnionWith(_boxes.Values.SelectMany(b => b.Facts.Keys));
            }
            // A door report the monitor can apply itself: the compartment is known and nothing else of it changed.
            foreach (var (id, door) in doors)
            {
                var known = compartmentIds.Contains(id) ? null : _boxes.Values.Select(b => b.Facts.GetValueOrDefault(id)).FirstOrDefault(f => f is not null);
                if (known is null)
                {
                    compartmentIds.Add(id);
                }
                else if (known.DoorSince is not { } at || at <= door.At)
                {
                    doorFacts.Add(known with { Door = door.State, DoorSince = door.At });
                }
            }
        }
        if (cached.Length == 0)
        {
            return;
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var facts = compartmentIds.Count == 0 ? [] : await LoadFactsAsync(db, null, compartmentIds, cancellationToken);
        facts.AddRange(doorFacts);
        var touched = facts.Select(f => f.BoxId).Concat(boxIds).Where(cached.Contains).ToHashSet();
        var rows = await LoadBoxRowsAsync(db, touched, cancellationToken);
        // Counted again only when a document may have left a compartment (a pickup), or on a new day.
        var pickups = await PickupsTodayAsync(db, rows.Where(r => DayChanged(r) || facts.Any(f => f.BoxId == r.Id && DocumentsLeft(f))).ToList(), cancellationToken);

        var overviewChanged = false;
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
                var newCompartment = false;
                foreach (var fact in facts.Where(f => f.BoxId == row.Id))
                {
                    newCompartment |= !state.Facts.ContainsKey(fact.Id);
                    state.Facts[fact.Id] = fact;
                }
                var previous = state.Snapshot;
                // The same summary object while nothing in it changed: pages tell "changed" by reference.
                var summary = Summarize(state) is var fresh && SameSummary(fresh, previous.Box) ? previous.Box : fresh;
                if (newCompartment)
                {
                    state.Snapshot = NewSnapshot(state, summary);
                }
                else
                {
                    // Copy on write: the new snapshot shares every unchanged cell and the index with the previous one.
                    CompartmentCell[]? cells = null;
                    var toDerive = rederiveAll ? state.Facts.Values : facts.Where(f => f.BoxId == row.Id);
                    foreach (var fact in toDerive)
                    {
                        var position = previous.Index[fact.Id];
                        var cell = CellStates.Derive(fact, row.Faults, today, DueSoonDays);
                        if (previous.Cells[position] != cell)
                        {
                            cells ??= [.. previous.Cells];
                            cells[position] = cell;
                        }
                    }
                    if (cells is null && ReferenceEquals(summary, previous.Box))
                    {
                        continue;
                    }
                    state.Snapshot = new BoxSnapshot(summary, cells ?? previous.Cells, previous.Index);
                }
                overviewChanged |= !ReferenceEquals(summary, previous.Box);
                foreach (var watcher in _boxWatchers.GetValueOrDefault(row.Id) ?? [])
                {
                    watcher.Publish(state.Snapshot);
                }
            }
            if (overviewChanged && _overviewWatchers.Count > 0)
            {
                var overview = Overview();
                foreach (var watcher in _overviewWatchers)
                {
                    watcher.Publish(overview);
                }
            }
        }
    }

    // Under _gate, or before the state is shared.
    private BoxSnapshot NewSnapshot(BoxState state, BoxOccupancy summary) =>
        new(summary, state.Facts.Values
            .OrderBy(f => f.Module).ThenBy(f => f.Row)
            .Select(f => CellStates.Derive(f, state.Row.Faults, state.Today, DueSoonDays))
            .ToList());

    private bool DocumentsLeft(CompartmentFacts fact)
    {
        lock (_gate)
        {
            return !_boxes.TryGetValue(fact.BoxId, out var state) || !state.Facts.TryGetValue(fact.Id, out var known) || fact.Documents < known.Documents;
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
            };
            state.Snapshot = NewSnapshot(state, Summarize(state));
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
            row.Id, row.Code, row.Name, Box.IsOnline(row.LastHeartbeatAt, now, bridgeSettings.Value.HeartbeatTimeout),
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
        var documents = db.Documents.AsNoTracking().Where(InCompartment.Document);
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

    private void StopWatching(LiveFeed<BoxSnapshot> feed)
    {
        lock (_gate)
        {
            foreach (var (boxId, watchers) in _boxWatchers)
            {
                if (watchers.Remove(feed))
                {
                    if (watchers.Count == 0)
                    {
                        _boxWatchers.Remove(boxId);
                    }
                    return;
                }
            }
        }
    }

    private void StopWatching(LiveFeed<IReadOnlyList<BoxOccupancy>> feed)
    {
        lock (_gate)
        {
            _overviewWatchers.Remove(feed);
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

        /// <summary>What the dashboards see now; replaced, never changed.</summary>
        public BoxSnapshot Snapshot { get; set; } = null!;
    }
}
