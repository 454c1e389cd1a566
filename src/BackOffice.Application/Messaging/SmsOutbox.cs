using BackOffice.Application.Abstractions;
using BackOffice.Domain.Messaging;

namespace BackOffice.Application.Messaging;

/// <summary>
/// Writes SMS into the outbox inside the caller's unit of work, so the message is stored exactly when the change it
/// reports is (same SaveChanges). The <see cref="SmsDispatcher"/> sends it afterwards.
/// </summary>
/// <remarks>
/// Singleton; thread-safe. The text is encrypted (<see cref="ISmsTextProtector"/>) before it reaches the database,
/// because it may carry a PIN. Never log or audit the text.
/// </remarks>
public sealed class SmsOutbox(ISmsTextProtector protector, TimeProvider timeProvider, SmsDispatchSignal signal)
{
    /// <summary>Adds the message to <paramref name="db"/>; the caller saves. Then call <see cref="Wake"/>.</summary>
    /// <param name="db">The caller's unit of work.</param>
    /// <param name="recipientE164">Mobile number in E.164, e.g. +4917012345678.</param>
    /// <param name="purpose">Why the citizen gets the message.</param>
    /// <param name="documentId">The document the message is about, if any.</param>
    /// <param name="text">The text, e.g. from <see cref="SmsTexts"/>.</param>
    /// <exception cref="ArgumentException">The number is not E.164 or the text is empty.</exception>
    public OutgoingSms Enqueue(IApplicationDbContext db, string recipientE164, SmsPurpose purpose, Guid? documentId, string text)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!PhoneNumbers.IsE164(recipientE164))
        {
            // The number is personal data: the message says what is wrong, not what was given.
            throw new ArgumentException("The recipient must be a mobile number in E.164 format (+49…).", nameof(recipientE164));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(text);

        var now = timeProvider.GetUtcNow();
        var message = new OutgoingSms
        {
            Id = Guid.NewGuid(),
            CreatedAt = now,
            Recipient = recipientE164,
            Purpose = purpose,
            DocumentId = documentId,
            ProtectedBody = protector.Protect(text),
            Status = SmsStatus.Pending,
            NextAttemptAt = now,
        };
        db.OutgoingSms.Add(message);
        return message;
    }

    /// <summary>Tells this instance's dispatcher to look at once; call after SaveChanges.</summary>
    public void Wake() => signal.Wake();

    /// <exception cref="System.Security.Cryptography.CryptographicException">The key ring lacks the key (another instance's, or lost).</exception>
    internal string Reveal(string protectedBody) => protector.Unprotect(protectedBody);
}
