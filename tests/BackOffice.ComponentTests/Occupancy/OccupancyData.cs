using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;

namespace BackOffice.ComponentTests.Occupancy;

/// <summary>Cells and boxes as the box monitor hands them out.</summary>
internal static class OccupancyData
{
    public static readonly Guid BoxId = Guid.NewGuid();

    public static CompartmentCell Cell(int module, int row, CellState state = CellState.Free, CompartmentSize size = CompartmentSize.S) =>
        new(Guid.NewGuid(), BoxId, Compartment.LabelFor(module, row), module, row, size, false, state,
            state == CellState.DoorOpen ? DoorState.Open : DoorState.Closed, 0, null, null, null,
            state is CellState.Overdue or CellState.DueSoon ? new DateOnly(2026, 11, 20) : null,
            state == CellState.Fault ? "Fach: Tür klemmt" : null);

    /// <summary>A box of <paramref name="modules"/> × <paramref name="rows"/> free cells, ordered by module and row as the snapshot is.</summary>
    public static List<CompartmentCell> Box(int modules, int rows) =>
        [.. from m in Enumerable.Range(1, modules) from r in Enumerable.Range(1, rows) select Cell(m, r)];

    public static BoxOccupancy Summary(int compartments, int ready = 0, int pickupsToday = 0) =>
        new(BoxId, "DLZ-1", "Dienstleistungszentrum", true, new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero),
            compartments, ready, compartments, 0, 0, ready, 0, 0, pickupsToday, null, []);
}

/// <summary>The box monitor as a page sees it, with new snapshots the test publishes.</summary>
internal sealed class FakeBoxMonitor(BoxSnapshot snapshot) : IBoxMonitor
{
    private readonly List<LiveFeed<BoxSnapshot>> _watchers = [];

    public BoxSnapshot Snapshot { get; set; } = snapshot;

    public int Watchers => _watchers.Count;

    /// <summary>Publishes a new snapshot to every open page, as the monitor does after a batch.</summary>
    public void Publish(BoxSnapshot snapshot)
    {
        Snapshot = snapshot;
        foreach (var watcher in _watchers.ToList())
        {
            watcher.Publish(snapshot);
        }
    }

    public Task<LiveFeed<BoxSnapshot>?> WatchBoxAsync(Guid boxId, CancellationToken cancellationToken = default)
    {
        if (boxId != Snapshot.Box.BoxId)
        {
            return Task.FromResult<LiveFeed<BoxSnapshot>?>(null);
        }
        var feed = new LiveFeed<BoxSnapshot>(Snapshot, f => _watchers.Remove(f));
        _watchers.Add(feed);
        return Task.FromResult<LiveFeed<BoxSnapshot>?>(feed);
    }

    public Task<LiveFeed<IReadOnlyList<BoxOccupancy>>> WatchOverviewAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new LiveFeed<IReadOnlyList<BoxOccupancy>>([Snapshot.Box], null));

    public Task<IReadOnlyList<BoxOccupancy>> OverviewAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BoxOccupancy>>([Snapshot.Box]);

    public Task<BoxSnapshot?> SnapshotAsync(Guid boxId, CancellationToken cancellationToken = default) =>
        Task.FromResult<BoxSnapshot?>(boxId == Snapshot.Box.BoxId ? Snapshot : null);

    public Task<Guid?> FindBoxAsync(string code, CancellationToken cancellationToken = default) =>
        Task.FromResult<Guid?>(code == Snapshot.Box.Code ? Snapshot.Box.BoxId : null);

    public Task<Guid?> FindCompartmentOfDocumentAsync(Guid boxId, string documentNumber, CancellationToken cancellationToken = default) =>
        Task.FromResult<Guid?>(null);
}
