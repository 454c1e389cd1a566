namespace BackOffice.Domain.Documents;

/// <summary>
/// One loading: a clerk puts one or more documents (a household's) into one compartment. The compartment is reserved,
/// the box unlocks it, the door opens and closes, and only then are the documents ready.
/// </summary>
public sealed class CompartmentLoad
{
    public const int ReasonMaxLength = 200;

    public Guid Id { get; set; }

    public Guid BoxId { get; set; }

    public Guid CompartmentId { get; set; }

    /// <summary>The unlock command sent to the box.</summary>
    public Guid? CommandId { get; set; }

    public LoadStatus Status { get; set; } = LoadStatus.Opening;

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string StartedBy { get; set; } = "";

    /// <summary>The documents this loading carried, kept after an abort: a late report that the door did open brings them back.</summary>
    public List<Guid> DocumentIds { get; set; } = [];

    /// <summary>Who aborted it: "system" (door failed, box silent), or the clerk who cancelled.</summary>
    public string? AbortedBy { get; set; }

    /// <summary>Why it did not complete, in German for the clerk.</summary>
    public string? AbortReason { get; set; }

    public uint Version { get; set; }

    public bool IsActive => Status is LoadStatus.Opening or LoadStatus.DoorOpen;
}

public enum LoadStatus
{
    /// <summary>Compartment reserved, unlock sent, waiting for the door.</summary>
    Opening,

    /// <summary>The door is open: the clerk inserts the documents.</summary>
    DoorOpen,

    /// <summary>The door closed: documents ready, SMS queued.</summary>
    Completed,

    /// <summary>Door did not open, box offline, command expired, or cancelled: nothing changed.</summary>
    Aborted,
}
