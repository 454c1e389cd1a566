namespace BackOffice.Domain.Operations;

/// <summary>
/// One handover event for the registration software, written in the same transaction as the document's change and
/// POSTed later from this outbox. Never given up: it is retried with a growing pause until the receiver takes it, so
/// an outage of the receiver loses nothing. Holds the application reference and the event, never personal data.
/// </summary>
public sealed class WebhookDelivery
{
    public const int ReferenceMaxLength = 50;
    public const int ErrorMaxLength = 500;

    /// <summary>Also the idempotency id the receiver sees: a redelivery carries the same one.</summary>
    public Guid Id { get; set; }

    public Guid DocumentId { get; set; }

    public string ApplicationReference { get; set; } = "";

    public WebhookEvent Event { get; set; }

    /// <summary>When the document changed (server time).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public uint Version { get; set; }
}

/// <summary>The handover events the registration software is told of; the wire names are in the webhook documentation.</summary>
public enum WebhookEvent
{
    /// <summary>In its compartment, ready for pickup.</summary>
    Loaded,

    /// <summary>The citizen took it from the box.</summary>
    Collected,

    /// <summary>Taken back out of the box to the counter.</summary>
    ReturnedToCounter,

    /// <summary>Not where it should be.</summary>
    MarkedMissing,
}
