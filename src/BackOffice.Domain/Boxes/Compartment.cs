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
