using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Occupancy;

/// <summary>What a compartment cell on the dashboard shows, most urgent first when several apply.</summary>
public enum CellState
{
    Free,
    ReservedForLoading,
    Ready,
    DueSoon,
    Overdue,
    Locked,
    Blocked,
    OutOfService,
    DoorOpen,

    /// <summary>The box opened it without a known reason (or contradicted the server): a person must look inside.</summary>
    Check,
    Fault,
}

/// <summary>
/// One compartment as the dashboard shows it: where it sits, its state, and (masked) what is inside. Immutable: an
/// update replaces the whole cell. <c>DoorSince</c> is when the box last reported the door (its own clock): a new report
/// shows even when the door is closed again, as when it opened and closed within one update.
/// </summary>
public sealed record CompartmentCell(
    Guid Id,
    Guid BoxId,
    string Label,
    int Module,
    int Row,
    CompartmentSize Size,
    bool Accessible,
    CellState State,
    DoorState Door,
    int Documents,
    Guid? DocumentId,
    string? MaskedDocumentNumber,
    DateTimeOffset? Since,
    DateOnly? Deadline,
    string? Reason,
    DateTimeOffset? DoorSince = null);

/// <summary>A box at a glance, for the overview and the head of its dashboard.</summary>
public sealed record BoxOccupancy(
    Guid BoxId,
    string Code,
    string Name,
    bool Online,
    DateTimeOffset? LastHeartbeatAt,
    int Compartments,
    int InUse,
    int FreeSmall,
    int FreeMedium,
    int FreeLarge,
    int Ready,
    int DueToday,
    int Overdue,
    int PickupsToday,
    int? BinFillPercent,
    IReadOnlyList<string> Faults)
{
    /// <summary>Share of usable compartments (not out of service) that hold or are about to hold documents.</summary>
    public double OccupancyPercent { get; init; }
}

/// <summary>
/// A box and all its cells at one moment, ordered by module and row. Immutable and shared by every open dashboard of the
/// box: a change makes a new snapshot that reuses the unchanged cells (and the same <see cref="Index"/> while the box's
/// compartments stay the same), so a page holds a reference, not a copy.
/// </summary>
public sealed class BoxSnapshot
{
    public BoxSnapshot(BoxOccupancy box, IReadOnlyList<CompartmentCell> cells, IReadOnlyDictionary<Guid, int>? index = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        Box = box;
        Cells = cells;
        Index = index ?? cells.Select((cell, position) => (cell.Id, position)).ToDictionary(c => c.Id, c => c.position);
    }

    public BoxOccupancy Box { get; }

    public IReadOnlyList<CompartmentCell> Cells { get; }

    /// <summary>Each cell's position in <see cref="Cells"/> by compartment id.</summary>
    public IReadOnlyDictionary<Guid, int> Index { get; }

    /// <summary>The cell of this compartment, or null when the box has no such compartment.</summary>
    public CompartmentCell? Find(Guid compartmentId) => Index.TryGetValue(compartmentId, out var position) ? Cells[position] : null;
}
