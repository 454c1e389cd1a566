namespace BackOffice.Domain.Operations;

/// <summary>
/// One alarm e-mail in the outbox, written in the same transaction as the alarm and sent later by the mail dispatcher
/// (retried with backoff; given up after the configured attempts). The text names the box, the kind and the subject,
/// never personal data.
/// </summary>
public sealed class AlarmMail
{
    public const int RecipientMaxLength = 320;
    public const int SubjectMaxLength = 300;
    public const int ErrorMaxLength = 500;

    public Guid Id { get; set; }

    public Guid AlarmId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string Recipient { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public uint Version { get; set; }
}

/// <summary>Where an outbox row (alarm e-mail, webhook) stands.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending,

    /// <summary>Delivered: the receiver accepted it.</summary>
    Delivered,

    /// <summary>Given up after the last attempt (alarm e-mails only; webhooks are never given up).</summary>
    Failed,
}
