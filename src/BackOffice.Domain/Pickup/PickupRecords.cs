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
}

/// <summary>
/// An old ID dropped into the box's destruction slot. Counted for the bin and reconciled with pickups; the number the
/// reader saw is kept only to match the document it belongs to, never shown.
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
}
