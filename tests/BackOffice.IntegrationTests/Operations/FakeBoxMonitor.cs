using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;

namespace BackOffice.IntegrationTests.Operations;

/// <summary>The box monitor's public interface with states the test sets: heartbeats, doors, faults, the bin.</summary>
public sealed class FakeBoxMonitor : IBoxMonitor
{
    public Dictionary<Guid, (BoxOccupancy Box, List<CompartmentCell> Cells)> Boxes { get; } = [];

    public void SetBox(Guid id, string code, DateTimeOffset? lastHeartbeat, int? binFill = null, params CompartmentCell[] cells) =>
        Boxes[id] = (new BoxOccupancy(id, code, code, lastHeartbeat is not null, lastHeartbeat, cells.Length, 0, 0, 0, 0, 0, 0, 0, 0, binFill, []),
            cells.ToList());

    public static CompartmentCell Cell(Guid boxId, Guid id, string label, DoorState door = DoorState.Closed, CellState state = CellState.Free,
        DateTimeOffset? doorSince = null) =>
        new(id, boxId, label, 1, 1, CompartmentSize.M, false, state, door, 0, null, null, null, null, null, doorSince);

    public Task<LiveFeed<BoxSnapshot>?> WatchBoxAsync(Guid boxId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<LiveFeed<IReadOnlyList<BoxOccupancy>>> WatchOverviewAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<BoxSnapshot?> SnapshotAsync(Guid boxId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Boxes.TryGetValue(boxId, out var box) ? new BoxSnapshot(box.Box, box.Cells) : null);

    public Task<IReadOnlyList<BoxOccupancy>> OverviewAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BoxOccupancy>>(Boxes.Values.Select(b => b.Box).ToList());

    public Task<Guid?> FindBoxAsync(string code, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Guid?> FindCompartmentOfDocumentAsync(Guid boxId, string documentNumber, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
