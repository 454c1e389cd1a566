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

    /// <summary>The second staff member who confirmed the loading before the door opened (four-eyes box), or null.</summary>
    public string? ConfirmedBy { get; private set; }

    /// <summary>The documents this loading carried, kept after an abort: a late report that the door did open brings them back.</summary>
    public List<Guid> DocumentIds { get; set; } = [];

    /// <summary>Who aborted it: "system" (door failed, box silent), or the clerk who cancelled.</summary>
    public string? AbortedBy { get; set; }

    /// <summary>Why it did not complete, in German for the clerk.</summary>
    public string? AbortReason { get; set; }

    public uint Version { get; set; }

    public bool IsActive => Status is LoadStatus.Opening or LoadStatus.DoorOpen;

    /// <summary>
    /// Records the second person of a four-eyes loading (both as the audit trail names them, "staff:&lt;user&gt;"):
    /// never the clerk who started it, and only once, before the door opens.
    /// </summary>
    public void Confirm(string witness)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(witness);
        if (IsSamePerson(witness, StartedBy))
        {
            throw new InvalidOperationException("The clerk who loads cannot confirm their own loading.");
        }
        if (ConfirmedBy is not null || Status != LoadStatus.Opening)
        {
            throw new InvalidOperationException($"A loading is confirmed once, before its door opens (status {Status}).");
        }
        ConfirmedBy = witness;
    }

    /// <summary>User names are case-insensitive: "staff:Anna@…" and "staff:anna@…" are one person.</summary>
    public static bool IsSamePerson(string actor, string other) => string.Equals(actor.Trim(), other.Trim(), StringComparison.OrdinalIgnoreCase);
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
