namespace BackOffice.Domain.Documents;

/// <summary>
/// A finished passport or ID card waiting for its holder: registered at the counter, loaded into a compartment,
/// picked up at the box. Holds personal data (name, birth date, mobile number): show it only where needed.
/// </summary>
public sealed class Document
{
    public const int NameMaxLength = 100;
    public const int ReferenceMaxLength = 50;

    public Guid Id { get; set; }

    public DocumentType Type { get; set; }

    /// <summary>9 characters of the German document alphabet, e.g. "C01X00T47" is invalid, "CF1G2H3J4" is valid.</summary>
    public string DocumentNumber { get; set; } = "";

    public string HolderName { get; set; } = "";

    public DateOnly DateOfBirth { get; set; }

    /// <summary>Mobile number in E.164 (+4917012345678). Stored encrypted.</summary>
    public string MobileNumber { get; set; } = "";

    /// <summary>Keyed hash of <see cref="MobileNumber"/> (set when saved), to find a holder's documents by number.</summary>
    public string? MobileNumberHash { get; set; }

    /// <summary>
    /// Set when a clerk joined this document to another document's household (with a reason, audited): that household's
    /// key. Null: the household is everyone registered with the same mobile number (<see cref="MobileNumberHash"/>).
    /// </summary>
    public string? HouseholdId { get; set; }

    /// <summary>Numbers of the holder's previous documents, checked at pickup against the one inserted into the slot.</summary>
    public List<string> OldDocumentNumbers { get; set; } = [];

    /// <summary>The application's reference in the registration software; unique, makes registration idempotent.</summary>
    public string ApplicationReference { get; set; } = "";

    /// <summary>The box the citizen chose when applying.</summary>
    public Guid BoxId { get; set; }

    /// <summary>The holder needs a compartment reachable from a wheelchair.</summary>
    public bool NeedsAccessibleCompartment { get; set; }

    public DocumentState State { get; set; } = DocumentState.Arrived;

    public Guid? CompartmentId { get; set; }

    /// <summary>The loading that put (or is putting) it into its compartment.</summary>
    public Guid? LoadId { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>Last day of pickup (box's local date).</summary>
    public DateOnly? PickupDeadline { get; set; }

    /// <summary>
    /// Salted slow hash of the pickup PIN; the PIN itself exists only in the SMS. Every document of one compartment load
    /// carries the same hash: one household, one PIN, one pickup.
    /// </summary>
    public string? PinHash { get; set; }

    public DateTimeOffset? PinIssuedAt { get; set; }

    /// <summary>Refused pickup attempts since the last success or since a clerk lifted the lock.</summary>
    public int FailedPickupAttempts { get; set; }

    /// <summary>Set when too many attempts failed: the box will not release it until a clerk acts.</summary>
    public DateTimeOffset? PickupLockedAt { get; set; }

    /// <summary>Set by a clerk for legal reasons (reported lost, seized, handover refused): the box will not release it.</summary>
    public string? BlockedReason { get; set; }

    public DateTimeOffset? PickedUpAt { get; set; }

    /// <summary>When the reminder SMS before the deadline was queued; at most one per loading.</summary>
    public DateTimeOffset? ReminderSentAt { get; set; }

    /// <summary>When a clerk took it back out of the box (overdue or on request).</summary>
    public DateTimeOffset? ReturnedToCounterAt { get; set; }

    /// <summary>
    /// When the retention job erased the holder's personal data (name, birth date, mobile number, document numbers);
    /// what is left is the anonymised record for statistics.
    /// </summary>
    public DateTimeOffset? PersonalDataErasedAt { get; set; }

    public uint Version { get; set; }
}

public enum DocumentType
{
    Passport,
    IdCard,
    ChildPassport,
    ResidencePermit,
}

public enum DocumentState
{
    /// <summary>Arrived from the printing office, registered, not in a compartment.</summary>
    Arrived,

    /// <summary>A clerk is putting it into a compartment right now.</summary>
    Loading,

    /// <summary>In its compartment, PIN sent: the citizen can pick it up.</summary>
    ReadyForPickup,

    /// <summary>The citizen passed the checks; the compartment is being opened.</summary>
    PickupOpening,

    /// <summary>Handed over: the citizen took it and the door closed.</summary>
    PickedUp,

    /// <summary>A clerk is taking it back out of its compartment (overdue, or on request).</summary>
    Retrieving,

    /// <summary>Back at the counter after retrieval: the citizen picks it up in person.</summary>
    BackAtCounter,
}

/// <summary>What a timeline line records; reports and statistics select by it, the note is for people.</summary>
public enum DocumentEventKind
{
    Note,
    Registered,
    LoadStarted,
    LoadAborted,
    Loaded,
    PickupStarted,
    PickupNotOpened,
    PickedUp,
    LockedAfterFailures,
    LockLifted,
    PinReissued,
    Blocked,
    Unblocked,
    ReminderSent,
    RetrievalStarted,
    RetrievalAborted,
    Retrieved,
    PersonalDataErased,
    JoinedHousehold,
}

/// <summary>One line of a document's history (state changes and what staff did), shown as its timeline.</summary>
public sealed class DocumentEvent
{
    public long Id { get; set; }

    public Guid DocumentId { get; set; }

    public DateTimeOffset At { get; set; }

    public DocumentState State { get; set; }

    public DocumentEventKind Kind { get; set; }

    /// <summary>The compartment it concerns, as printed on the door (e.g. "03-07"), when there is one.</summary>
    public string? CompartmentLabel { get; set; }

    /// <summary>"staff:&lt;user&gt;", "box:&lt;code&gt;", "api", "system".</summary>
    public string Actor { get; set; } = "";

    /// <summary>What happened, in German, for the timeline (never a PIN or other secret).</summary>
    public string Note { get; set; } = "";

    /// <summary>A timeline line for the document as it is now (its state after the change).</summary>
    public static DocumentEvent For(
        Document document, DocumentEventKind kind, DateTimeOffset at, string actor, string note, string? compartmentLabel = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new DocumentEvent
        {
            DocumentId = document.Id,
            At = at,
            State = document.State,
            Kind = kind,
            CompartmentLabel = compartmentLabel,
            Actor = actor,
            Note = note,
        };
    }
}
