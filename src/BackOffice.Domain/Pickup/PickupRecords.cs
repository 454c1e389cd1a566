namespace BackOffice.Domain.Pickup;

/// <summary>Refused pickup attempts per mobile number, so guessing across documents of one number is limited too.</summary>
public sealed class PhonePickupFailures
{
    /// <summary>The number's keyed hash (see IPersonalDataLookup), never the number itself.</summary>
    public string Phone { get; set; } = "";

    public int Failures { get; set; }

    public DateTimeOffset LastFailureAt { get; set; }

    /// <summary>Set after too many failures: every request for this number is refused until a clerk acts.</summary>
    public DateTimeOffset? LockedAt { get; set; }
}

/// <summary>A pickup request as answered, so the same request id (a panel retry) gets the same answer and opens nothing twice.</summary>
public sealed class PickupRequestRecord
{
    public const int MessageMaxLength = 300;

    public Guid BoxId { get; set; }

    public Guid RequestId { get; set; }

    public DateTimeOffset At { get; set; }

    public bool Granted { get; set; }

    public List<string> Compartments { get; set; } = [];

    public string Message { get; set; } = "";

    /// <summary>For a granted pickup: which third factor passed. Null for refusals and for pickups before this was kept.</summary>
    public PickupFactor? Factor { get; set; }

    /// <summary>For a granted pickup: every document it handed over (a household's compartment at once).</summary>
    public List<Guid> DocumentIds { get; set; } = [];
}

/// <summary>The third factor a granted pickup used, besides mobile number and PIN.</summary>
public enum PickupFactor
{
    /// <summary>The old ID in the slot: it is kept and destroyed, so a deposit should follow.</summary>
    OldDocument,

    /// <summary>The date of birth: no old ID was kept, none is missing.</summary>
    BirthDate,
}

/// <summary>What happened to an old ID the slot held while the pickup was decided.</summary>
public enum OldDocumentDisposition
{
    /// <summary>Dropped into the bin (pickup granted, or a bridge of the first release that reports at insertion).</summary>
    Deposited,

    /// <summary>Given back to the citizen (pickup refused or not decided): not in the bin, not counted.</summary>
    HandedBack,
}

/// <summary>
/// An old ID the box's destruction slot took in. Only <see cref="OldDocumentDisposition.Deposited"/> ones are in the bin
/// and counted; handed-back ones are kept as a record of what the slot did. The number the reader saw is used only to
/// match the document it belongs to, never stored or shown.
/// </summary>
public sealed class OldDocumentDeposit
{
    public Guid BoxId { get; set; }

    public Guid EventId { get; set; }

    /// <summary>When it dropped, by the box's clock.</summary>
    public DateTimeOffset At { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The new document whose holder's old ID this is, when the reader's number matched one on file.</summary>
    public Guid? DocumentId { get; set; }

    public OldDocumentDisposition Disposition { get; set; } = OldDocumentDisposition.Deposited;

    /// <summary>The granted pickup this old ID was kept for (the bridge names its request), when there is one.</summary>
    public Guid? PickupRequestId { get; set; }
}

/// <summary>What a reconciliation line to follow up refers to.</summary>
public enum BinFollowUpKind
{
    /// <summary>A pickup with the old ID whose deposit never arrived (reference: the pickup's request id).</summary>
    PickupWithoutDeposit,

    /// <summary>A deposit no pickup or document could be matched to (reference: the deposit's event id).</summary>
    UnmatchedDeposit,
}

/// <summary>A person followed up one reconciliation line: who, when, what they found. Audited.</summary>
public sealed class BinFollowUp
{
    public const int NoteMaxLength = 500;

    public Guid BoxId { get; set; }

    public BinFollowUpKind Kind { get; set; }

    public Guid Reference { get; set; }

    public string By { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string Note { get; set; } = "";
}
