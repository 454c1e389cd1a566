using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackOffice.Application.Messaging;

/// <summary>An outbox message staff should look at: given up, or still being retried. The number is masked.</summary>
public sealed record SmsProblem(
    Guid Id,
    DateTimeOffset CreatedAt,
    string MaskedRecipient,
    SmsPurpose Purpose,
    SmsStatus Status,
    int Attempts,
    string? LastError,
    DateTimeOffset NextAttemptAt,
    Guid? DocumentId);

/// <summary>What the SMS page needs: messages that could not be delivered, and a retry for them.</summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed partial class SmsOutboxAdministration(
    IApplicationDbContextFactory contextFactory,
    SmsDispatchSignal signal,
    AuditTrail audit,
    TimeProvider timeProvider,
    ILogger<SmsOutboxAdministration> logger)
{
    public const int ListLimit = 500;

    /// <summary>Failed messages and pending ones that already failed at least once, newest first.</summary>
    public async Task<IReadOnlyList<SmsProblem>> ListProblemsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var rows = await db.OutgoingSms.AsNoTracking()
            .Where(m => m.Status == SmsStatus.Failed || (m.Status == SmsStatus.Pending && m.Attempts > 0))
            .OrderByDescending(m => m.CreatedAt)
            .Take(ListLimit)
            .Select(m => new { m.Id, m.CreatedAt, m.Recipient, m.Purpose, m.Status, m.Attempts, m.LastError, m.NextAttemptAt, m.DocumentId })
            .ToListAsync(cancellationToken);
        return rows.Select(m => new SmsProblem(m.Id, m.CreatedAt, PhoneNumbers.Mask(m.Recipient), m.Purpose, m.Status, m.Attempts,
            m.LastError, m.NextAttemptAt, m.DocumentId)).ToList();
    }

    /// <summary>Puts a failed message back into the queue with a fresh set of attempts; false if it is not failed (any more).</summary>
    public async Task<bool> RetryAsync(Guid smsId, string actor, CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            var message = await db.OutgoingSms.SingleOrDefaultAsync(m => m.Id == smsId, cancellationToken);
            if (message is not { Status: SmsStatus.Failed })
            {
                return false;
            }
            var previousAttempts = message.Attempts;
            message.Status = SmsStatus.Pending;
            message.Attempts = 0;
            message.NextAttemptAt = timeProvider.GetUtcNow();
            audit.Record(db, actor, "sms.retry", message.DocumentId is { } documentId ? $"document:{documentId}" : $"sms:{message.Id}", "ok",
                $"{message.Purpose} to {PhoneNumbers.Mask(message.Recipient)}, sms {message.Id}, after {previousAttempts} attempt(s)");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone else retried it at the same moment.
                return false;
            }
        }
        LogRetryRequested(logger, smsId);
        signal.Wake();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {SmsId} queued again by staff")]
    private static partial void LogRetryRequested(ILogger logger, Guid smsId);
}
