using System.Security.Cryptography;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Telemetry;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Messaging;

/// <summary>
/// Sends the outbox: every <see cref="SmsOptions.PollInterval"/>, and at once when <see cref="SmsDispatchSignal"/> is
/// woken, it claims due messages, decrypts and sends each, and records the outcome (sent, retry later, failed).
/// </summary>
/// <remarks>
/// <para>
/// Several app instances may run this at the same time. A message is claimed by a compare-and-set on its xmin
/// concurrency token: one UPDATE that moves <see cref="OutgoingSms.NextAttemptAt"/> a lease
/// (<see cref="SmsOptions.ClaimTimeout"/>) into the future only if the row is still the version that was read and
/// still due. PostgreSQL re-checks that condition after a competing update commits, so exactly one instance gets the
/// row; the others skip it. No transaction or row lock stays open during the HTTP call, and no provider-specific SQL
/// is needed. Should an instance die mid-send, the lease runs out and another instance sends again: delivery is at
/// least once, which is the best any gateway without idempotency keys allows.
/// </para>
/// <para>Singleton; every step uses its own database context. Logs and audit lines carry ids and masked numbers, never the text.</para>
/// </remarks>
public sealed partial class SmsDispatcher(
    IApplicationDbContextFactory contextFactory,
    SmsOutbox outbox,
    ISmsSender sender,
    SmsDispatchSignal signal,
    SmsOutboxChanges changes,
    AuditTrail audit,
    TimeProvider timeProvider,
    IOptions<SmsOptions> settings,
    BackOfficeMetrics metrics,
    ILogger<SmsDispatcher> logger) : BackgroundService
{
    /// <summary>Sends what is due now, at most one batch; returns how many messages this call handled.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        List<(Guid Id, uint Version)> due;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            due = (await db.OutgoingSms.AsNoTracking()
                    .Where(m => m.Status == SmsStatus.Pending && m.NextAttemptAt <= now)
                    .OrderBy(m => m.NextAttemptAt)
                    .Take(settings.Value.BatchSize)
                    .Select(m => new { m.Id, m.Version })
                    .ToListAsync(cancellationToken))
                .Select(m => (m.Id, m.Version))
                .ToList();
        }

        var handled = 0;
        foreach (var (id, version) in due)
        {
            if (await TryDispatchAsync(id, version, cancellationToken))
            {
                handled++;
            }
        }
        return handled;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.PollInterval, timeProvider);
        // Both waits survive a round in which the other one fired: PeriodicTimer allows one waiter only, and a
        // wake-up must not be lost.
        Task<bool>? tick = null;
        Task? wake = null;
        while (true)
        {
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            wake ??= signal.WaitAsync(stoppingToken);
            if (await Task.WhenAny(tick, wake) == tick)
            {
                if (!await tick)
                {
                    return;
                }
                tick = null;
            }
            else
            {
                await wake;
                wake = null;
            }

            try
            {
                // A full batch means more may be waiting.
                while (await DispatchDueAsync(stoppingToken) >= settings.Value.BatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(logger, ex);
            }
        }
    }

    private async Task<bool> TryDispatchAsync(Guid id, uint version, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        // PostgreSQL keeps microseconds: the lease must read back exactly as written, it identifies this claim.
        var lease = TruncateToMicroseconds(now + settings.Value.ClaimTimeout);
        OutgoingSms message;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            var claimed = await db.OutgoingSms
                .Where(m => m.Id == id && m.Version == version && m.Status == SmsStatus.Pending && m.NextAttemptAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, lease), cancellationToken);
            if (claimed == 0)
            {
                return false;
            }
            message = await db.OutgoingSms.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        }

        var result = await SendAsync(message, cancellationToken);
        await RecordAsync(id, lease, result, cancellationToken);
        return true;
    }

    private async Task<SmsSendResult> SendAsync(OutgoingSms message, CancellationToken cancellationToken)
    {
        if (message.ProtectedBody is null)
        {
            return SmsSendResult.PermanentFailure("Kein Nachrichtentext gespeichert.");
        }
        string text;
        try
        {
            text = outbox.Reveal(message.ProtectedBody);
        }
        catch (CryptographicException)
        {
            // Temporary: another instance whose key ring has the key may still send it.
            LogUndecryptable(logger, message.Id);
            return SmsSendResult.TemporaryFailure("Text nicht entschlüsselbar (Data-Protection-Schlüssel fehlt auf dieser Instanz).");
        }

        try
        {
            return await sender.SendAsync(message.Recipient, text, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Senders report trouble as results; anything thrown is a bug or an outage, worth another try.
            LogSenderThrew(logger, message.Id, ex);
            return SmsSendResult.TemporaryFailure($"Unerwarteter Fehler beim Senden ({ex.GetType().Name}).");
        }
    }

    private async Task RecordAsync(Guid id, DateTimeOffset lease, SmsSendResult result, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var message = await db.OutgoingSms.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (message is null || message.Status != SmsStatus.Pending || message.NextAttemptAt != lease)
        {
            // The lease ran out during the send and another instance took the message over.
            LogClaimLost(logger, id);
            return;
        }

        message.Attempts++;
        var subject = message.DocumentId is { } documentId ? $"document:{documentId}" : $"sms:{message.Id}";
        var recipient = PhoneNumbers.Mask(message.Recipient);
        switch (result.Outcome)
        {
            case SmsSendOutcome.Accepted:
                message.Status = SmsStatus.Sent;
                message.SentAt = now;
                message.GatewayMessageId = Truncate(result.GatewayMessageId, 200);
                message.ProtectedBody = null;
                message.LastError = null;
                audit.Record(db, AuditTrail.System, "sms.sent", subject, "sent",
                    $"{message.Purpose} to {recipient}, sms {message.Id}, attempt {message.Attempts}" +
                    (message.GatewayMessageId is null ? "" : $", gateway id {message.GatewayMessageId}"));
                break;

            case SmsSendOutcome.TemporaryFailure when message.Attempts < settings.Value.MaxAttempts:
                var delay = SmsOptions.RetryDelay(message.Attempts);
                message.NextAttemptAt = now + delay;
                message.LastError = Truncate(result.Reason, OutgoingSms.ErrorMaxLength);
                LogRetry(logger, message.Id, message.Purpose, message.Attempts, delay);
                break;

            default:
                message.Status = SmsStatus.Failed;
                message.LastError = Truncate(result.Reason ?? "Unbekannter Fehler.", OutgoingSms.ErrorMaxLength);
                audit.Record(db, AuditTrail.System, "sms.failed", subject, "failed",
                    $"{message.Purpose} to {recipient}, sms {message.Id}, after {message.Attempts} attempt(s): {message.LastError}");
                LogFailed(logger, message.Id, message.Purpose, message.Attempts, result.Outcome);
                metrics.SmsFailed(message.Purpose);
                break;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogClaimLost(logger, id);
            return;
        }
        changes.Notify();
        if (message.Status == SmsStatus.Sent)
        {
            LogSent(logger, message.Id, message.Purpose, message.Attempts);
        }
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % 10), TimeSpan.Zero);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS {SmsId} ({Purpose}) accepted by the gateway after {Attempts} attempt(s)")]
    private static partial void LogSent(ILogger logger, Guid smsId, SmsPurpose purpose, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {SmsId} ({Purpose}) attempt {Attempts} failed temporarily; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, Guid smsId, SmsPurpose purpose, int attempts, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMS {SmsId} ({Purpose}) given up after {Attempts} attempt(s): {Outcome}")]
    private static partial void LogFailed(ILogger logger, Guid smsId, SmsPurpose purpose, int attempts, SmsSendOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS {SmsId} was taken over by another dispatcher; its outcome here is not recorded")]
    private static partial void LogClaimLost(ILogger logger, Guid smsId);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMS {SmsId} cannot be decrypted with this instance's Data Protection keys")]
    private static partial void LogUndecryptable(ILogger logger, Guid smsId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The SMS sender threw for SMS {SmsId}")]
    private static partial void LogSenderThrew(ILogger logger, Guid smsId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "SMS dispatch round failed; retrying at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
