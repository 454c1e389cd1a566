namespace BackOffice.Domain.Boxes;

/// <summary>
/// One lockable compartment. Boxes are modular: modules stand side by side, each with rows from top to bottom;
/// the label (e.g. "03-07": module 3, row 7) is printed on the door.
/// </summary>
public sealed class Compartment
{
    public const int LabelMaxLength = 20;
    public const int ReasonMaxLength = 200;

    public Guid Id { get; set; }

    public Guid BoxId { get; set; }

    public string Label { get; set; } = "";

    public int Module { get; set; }

    public int Row { get; set; }

    public CompartmentSize Size { get; set; }

    /// <summary>Reachable from a wheelchair.</summary>
    public bool Accessible { get; set; }

    public CompartmentState State { get; set; } = CompartmentState.Free;

    public string? OutOfServiceReason { get; set; }

    public DoorState DoorState { get; set; } = DoorState.Unknown;

    /// <summary>When the box measured the current door state (box time as reported).</summary>
    public DateTimeOffset? DoorStateAt { get; set; }

    /// <summary>
    /// Set when the box reported the door open and nothing the back office knows of explains it (no loading, pickup,
    /// retrieval or service opening), or when a late report contradicts what the back office had assumed: what is inside
    /// is uncertain. Never proposed for a loading until a person looked and confirmed.
    /// </summary>
    public DateTimeOffset? CheckRequiredSince { get; set; }

    /// <summary>Why the compartment must be checked, in German for staff.</summary>
    public string? CheckReason { get; set; }

    public bool NeedsCheck => CheckRequiredSince is not null;

    /// <summary>Asks a person to look into the compartment; the first reason stays until someone confirmed.</summary>
    public void RequireCheck(DateTimeOffset at, string reason)
    {
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

    /// <summary>Concurrency token (PostgreSQL xmin): two clerks can never both reserve one compartment.</summary>
    public uint Version { get; set; }

    public static string LabelFor(int module, int row) => $"{module:00}-{row:00}";
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
