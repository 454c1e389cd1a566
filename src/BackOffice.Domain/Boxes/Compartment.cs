namespace BackOffice.Domain.Boxes;

/// <summary>
/// One lockable compartment. Boxes are modular: modules stand side by side, each with rows from top to bottom;
/// the label (e.g. "03-07": module 3, row 7) is printed on the door.
/// </summary>
public sealed class Compartment
{
    public const int LabelMaxLength = 20;
    public const int ReasonMaxLength = 200;

    public Guid Id { get; init; }

    public Guid BoxId { get; init; }

    public string Label { get; init; } = "";

    public int Module { get; init; }

    public int Row { get; init; }

    public CompartmentSize Size { get; init; }

    /// <summary>Reachable from a wheelchair.</summary>
    public bool Accessible { get; init; }

    public CompartmentState State { get; private set; } = CompartmentState.Free;

    public string? OutOfServiceReason { get; private set; }

    public DoorState DoorState { get; private set; } = DoorState.Unknown;

    /// <summary>When the box measured the current door state (box time as reported).</summary>
    public DateTimeOffset? DoorStateAt { get; private set; }

    /// <summary>
    /// Set when the box reported the door open and nothing the back office knows of explains it (no loading, pickup,
    /// retrieval or service opening), or when a late report contradicts what the back office had assumed: what is inside
    /// is uncertain. Never proposed for a loading until a person looked and confirmed.
    /// </summary>
    public DateTimeOffset? CheckRequiredSince { get; private set; }

    /// <summary>Why the compartment must be checked, in German for staff.</summary>
    public string? CheckReason { get; private set; }

    public bool NeedsCheck => CheckRequiredSince is not null;

    /// <summary>Concurrency token (PostgreSQL xmin): two clerks can never both reserve one compartment.</summary>
    public uint Version { get; private set; }

    /// <summary>Holds a free compartment for a loading; one that waits for a person's check is never used.</summary>
    public void ReserveForLoading()
    {
        Require(CompartmentTransition.ReserveForLoading, CompartmentState.Free);
        if (NeedsCheck)
        {
            throw new CompartmentTransitionException(State, CompartmentTransition.ReserveForLoading, "it waits for a check");
        }
        State = CompartmentState.ReservedForLoading;
    }

    /// <summary>
    /// Reserves it again for a loading given up too early: the box says it did open the door for it. A pending check
    /// does not stop it (the caller clears it when that opening explains it): the box's word wins.
    /// </summary>
    public void ResumeLoading()
    {
        Require(CompartmentTransition.ResumeLoading, CompartmentState.Free);
        State = CompartmentState.ReservedForLoading;
    }

    /// <summary>The loading did not happen: the reservation ends and the compartment is free again.</summary>
    public void ReleaseReservation()
    {
        Require(CompartmentTransition.ReleaseReservation, CompartmentState.ReservedForLoading);
        State = CompartmentState.Free;
    }

    /// <summary>The loading's door closed with the documents inside.</summary>
    public void Occupy()
    {
        Require(CompartmentTransition.Occupy, CompartmentState.ReservedForLoading);
        State = CompartmentState.Occupied;
    }

    /// <summary>Its documents left it (picked up, or taken back to the counter).</summary>
    public void Vacate()
    {
        Require(CompartmentTransition.Vacate, CompartmentState.Occupied);
        State = CompartmentState.Free;
    }

    /// <summary>Takes a free compartment out of service (broken door, ...); an occupied one must be emptied first.</summary>
    public void TakeOutOfService(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, ReasonMaxLength, nameof(reason));
        Require(CompartmentTransition.TakeOutOfService, CompartmentState.Free);
        State = CompartmentState.OutOfService;
        OutOfServiceReason = reason;
    }

    public void ReturnToService()
    {
        Require(CompartmentTransition.ReturnToService, CompartmentState.OutOfService);
        State = CompartmentState.Free;
        OutOfServiceReason = null;
    }

    /// <summary>What the box says of the door, measured at <paramref name="at"/>; in any state, the box's word is a fact.</summary>
    public void ReportDoor(DoorState state, DateTimeOffset at)
    {
        DoorState = state;
        DoorStateAt = at;
    }

    /// <summary>Asks a person to look into the compartment; the first reason stays until someone confirmed.</summary>
    public void RequireCheck(DateTimeOffset at, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (CheckRequiredSince is null)
        {
            CheckRequiredSince = at;
            CheckReason = reason.Length <= ReasonMaxLength ? reason : reason[..ReasonMaxLength];
        }
    }

    public void ClearCheck()
    {
        CheckRequiredSince = null;
        CheckReason = null;
    }

    public static string LabelFor(int module, int row) => $"{module:00}-{row:00}";

    private void Require(CompartmentTransition transition, CompartmentState from)
    {
        if (State != from)
        {
            throw new CompartmentTransitionException(State, transition);
        }
    }
}

public enum CompartmentSize
{
    S,
    M,
    L,
}

public enum CompartmentState
{
    Free,
    ReservedForLoading,
    Occupied,
    OutOfService,
}

public enum DoorState
{
    Unknown,
    Open,
    Closed,
}
