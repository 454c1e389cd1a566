using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Domain.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Operations;

/// <summary>Sends one alarm e-mail; reports trouble as a result.</summary>
public interface IAlarmMailSender
{
    /// <returns>Null when the server accepted it; otherwise why not.</returns>
    Task<string?> SendAsync(AlarmMail mail, CancellationToken cancellationToken);
}

/// <summary>
/// Sends the alarm e-mail outbox like the webhook dispatcher (claims with <c>FOR UPDATE SKIP LOCKED</c>, retries with
/// exponential backoff), but gives up after <see cref="AlarmMailOptions.MaxAttempts"/>: the alarm itself stays on the
/// alarm list, the e-mail is a second channel.
/// </summary>
/// <remarks>Singleton; every step uses its own database context; no transaction stays open while talking to the server.</remarks>
public sealed partial class AlarmMailDispatcher(
    IApplicationDbContextFactory contextFactory,
    IOutboxClaims claims,
    IAlarmMailSender sender,
    AlarmMailSignal signal,
    AuditTrail audit,
    TimeProvider timeProvider,
    IOptions<AlarmMailOptions> settings,
    ILogger<AlarmMailDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 20;

    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var lease = Backoff.ToMicroseconds(now + settings.Value.ClaimTimeout);
        var ids = await claims.ClaimAsync(OutboxTable.AlarmMails, now, lease, BatchSize, cancellationToken);
        foreach (var id in ids)
        {
            await SendAsync(id, lease, cancellationToken);
        }
        return ids.Count;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        signal.RunAsync(settings.Value.PollInterval, timeProvider, BatchSize, DispatchDueAsync, ex => LogRoundFailed(logger, ex), stoppingToken);

    private async Task SendAsync(Guid id, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        AlarmMail mail;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            mail = await db.AlarmMails.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        }
        string? error;
        try
        {
            error = await sender.SendAsync(mail, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSenderThrew(logger, id, ex);
            error = $"Unerwarteter Fehler ({ex.GetType().Name}).";
        }

        var now = timeProvider.GetUtcNow();
        await using var record = await contextFactory.CreateAsync(cancellationToken);
        var row = await record.AlarmMails.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (row is null || row.Status != OutboxStatus.Pending || row.NextAttemptAt != lease)
        {
            return;
        }
        row.Attempts++;
        var subject = $"alarm:{row.AlarmId}";
        if (error is null)
        {
            row.Status = OutboxStatus.Delivered;
            row.SentAt = now;
            row.LastError = null;
            audit.Record(record, AuditTrail.System, "alarm.mail.sent", subject, "sent", $"to {row.Recipient}, attempt {row.Attempts}");
        }
        else
        {
            row.LastError = error.Length <= AlarmMail.ErrorMaxLength ? error : error[..AlarmMail.ErrorMaxLength];
            if (row.Attempts >= settings.Value.MaxAttempts)
            {
                row.Status = OutboxStatus.Failed;
                audit.Record(record, AuditTrail.System, "alarm.mail.failed", subject, "failed",
                    $"to {row.Recipient}, after {row.Attempts} attempt(s): {row.LastError}");
                LogGivenUp(logger, id, row.Attempts, error);
            }
            else
            {
                var delay = Backoff.Exponential(row.Attempts, settings.Value.FirstRetryDelay, settings.Value.MaxRetryDelay);
                row.NextAttemptAt = now + delay;
                LogRetry(logger, id, row.Attempts, delay, error);
            }
        }
        try
        {
            await record.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another round took it over after the lease ran out.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm e-mail {MailId} attempt {Attempts} failed; retrying in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid mailId, int attempts, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alarm e-mail {MailId} given up after {Attempts} attempt(s): {Error}")]
    private static partial void LogGivenUp(ILogger logger, Guid mailId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The alarm e-mail sender threw for e-mail {MailId}")]
    private static partial void LogSenderThrew(ILogger logger, Guid mailId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alarm e-mail round failed; retrying at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
