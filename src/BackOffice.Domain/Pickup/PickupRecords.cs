namespace BackOffice.Domain.Pickup;

/// <summary>Refused pickup attempts per mobile number, so guessing across documents of one number is limited too.</summary>
public sealed class PhonePickupFailures
{
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
