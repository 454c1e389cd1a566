namespace BackOffice.Domain.Messaging;

/// <summary>
/// One SMS in the outbox, written in the same transaction as the change it tells the citizen about and sent later by
/// the dispatcher. The text may hold a PIN, so it is stored only encrypted (<see cref="ProtectedBody"/>) and erased once
/// the gateway accepted it.
/// </summary>
public sealed class OutgoingSms
{
    public const int RecipientMaxLength = 16;
    public const int ErrorMaxLength = 500;

    public Guid Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Mobile number in E.164, e.g. +4917012345678.</summary>
    public string Recipient { get; set; } = "";

    public SmsPurpose Purpose { get; set; }

    /// <summary>The document the message is about, if any.</summary>
    public Guid? DocumentId { get; set; }

    /// <summary>The message text, encrypted with ASP.NET Core Data Protection; null once sent.</summary>
    public string? ProtectedBody { get; set; }

    public SmsStatus Status { get; set; } = SmsStatus.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The gateway's id for the message, for enquiries with the provider.</summary>
    public string? GatewayMessageId { get; set; }

    public uint Version { get; set; }
}

public enum SmsPurpose
{
    ReadyForPickup,
    PinReissued,
    PickupReminder,
    ReturnedToCounter,
    DeadlineExtended,
}

public enum SmsStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending,

    /// <summary>The gateway accepted it.</summary>
    Sent,

    /// <summary>Given up after the last retry, or refused by the gateway as undeliverable: staff must act.</summary>
    Failed,
}
