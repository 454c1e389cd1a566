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

/// <summary>A box and all its cells, as a dashboard starts from.</summary>
public sealed record BoxSnapshot(BoxOccupancy Box, IReadOnlyList<CompartmentCell> Cells);

/// <summary>What changed in one box since the last update: its summary and the cells whose state changed.</summary>
public sealed record OccupancyUpdate(BoxOccupancy Box, IReadOnlyList<CompartmentCell> Cells);
