using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Occupancy;

/// <summary>The raw facts of one compartment from which its cell is derived (kept so a new day or a fault re-derives it).</summary>
internal sealed record CompartmentFacts(
    Guid Id, Guid BoxId, string Label, int Module, int Row, CompartmentSize Size, bool Accessible, CompartmentState State,
    string? OutOfServiceReason, string? CheckReason, DoorState Door, int Documents, Guid? DocumentId, string? MaskedDocumentNumber,
    DateTimeOffset? Since, DateOnly? Deadline, bool AnyLocked, string? BlockedReason, DateTimeOffset? DoorSince = null);

/// <summary>Derives a cell's state from its facts: the most urgent state wins.</summary>
internal static class CellStates
{
    public static CompartmentCell Derive(CompartmentFacts f, IReadOnlyList<string> boxFaults, DateOnly today, int dueSoonDays)
    {
        var fault = boxFaults.FirstOrDefault(text => NamesCompartment(text, f.Label));
        var state = fault is not null ? CellState.Fault
            : f.Door == DoorState.Open ? CellState.DoorOpen
            : f.CheckReason is not null ? CellState.Check
            : f.State == CompartmentState.OutOfService ? CellState.OutOfService
            : f.BlockedReason is not null ? CellState.Blocked
            : f.AnyLocked ? CellState.Locked
            : f.Documents > 0 && f.Deadline < today ? CellState.Overdue
            : f.Documents > 0 && f.Deadline <= today.AddDays(dueSoonDays) ? CellState.DueSoon
            // Documents being loaded are in the compartment already, but not ready yet.
            : f.State == CompartmentState.ReservedForLoading ? CellState.ReservedForLoading
            : f.State == CompartmentState.Occupied || f.Documents > 0 ? CellState.Ready
            : CellState.Free;
        var reason = state switch
        {
            CellState.Fault => fault,
            CellState.OutOfService => f.OutOfServiceReason,
            CellState.Check => f.CheckReason,
            CellState.Blocked => f.BlockedReason,
            _ => null,
        };
        return new CompartmentCell(f.Id, f.BoxId, f.Label, f.Module, f.Row, f.Size, f.Accessible, state, f.Door, f.Documents,
            f.DocumentId, f.MaskedDocumentNumber, f.Since, f.Deadline, reason, f.DoorSince);
    }

    /// <summary>Bridges name a compartment's fault as "Fach MM-RR: …" (protocol v1, heartbeat faults).</summary>
    public static bool NamesCompartment(string fault, string label) =>
        fault.StartsWith($"Fach {label}:", StringComparison.Ordinal);
}
