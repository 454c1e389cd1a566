using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Domain.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Operations;

/// <summary>
/// Delivers the webhook outbox: every <see cref="WebhookOptions.PollInterval"/> and at once when woken, it claims due
/// events (<see cref="IOutboxClaims"/>: <c>FOR UPDATE SKIP LOCKED</c>, so several instances never take the same row),
/// POSTs each and records the outcome. A failure is retried with exponential backoff, without limit: the event waits in
/// the table however long the receiver is down.
/// </summary>
/// <remarks>
/// Singleton; every step uses its own database context and no transaction stays open during the HTTP call. Delivery
/// is at least once (an instance that dies mid-POST leaves the row to be claimed again when its lease ends): the
/// receiver deduplicates by the idempotency id.
/// </remarks>
public sealed partial class WebhookDispatcher(
    IApplicationDbContextFactory contextFactory,
    IOutboxClaims claims,
    IWebhookSender sender,
    WebhookSignal signal,
    AuditTrail audit,
    TimeProvider timeProvider,
    IOptions<WebhookOptions> settings,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>Delivers what is due now, at most one batch; returns how many events this call handled.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        // Without a receiver (Webhooks:Url removed after events were queued) the events wait in the table.
        if (!settings.Value.Enabled)
        {
            return 0;
        }
        var now = timeProvider.GetUtcNow();
        var lease = Backoff.ToMicroseconds(now + settings.Value.ClaimTimeout);
        var ids = await claims.ClaimAsync(OutboxTable.WebhookDeliveries, now, lease, settings.Value.BatchSize, cancellationToken);
        foreach (var id in ids)
        {
            await DeliverAsync(id, lease, cancellationToken);
        }
        return ids.Count;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        signal.RunAsync(settings.Value.PollInterval, timeProvider, settings.Value.BatchSize, DispatchDueAsync,
            ex => LogRoundFailed(logger, ex), stoppingToken);

    private async Task DeliverAsync(Guid id, DateTimeOffset lease, CancellationToken cancellationToken)
    {
        WebhookDelivery delivery;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            delivery = await db.WebhookDeliveries.AsNoTracking().SingleAsync(w => w.Id == id, cancellationToken);
        }

        string? error;
        try
        {
            error = await sender.SendAsync(delivery, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSenderThrew(logger, id, ex);
            error = $"Unerwarteter Fehler ({ex.GetType().Name}).";
        }

        var now = timeProvider.GetUtcNow();
        await using var record = await contextFactory.CreateAsync(cancellationToken);
        var row = await record.WebhookDeliveries.SingleOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (row is null || row.Status != OutboxStatus.Pending || row.NextAttemptAt != lease)
        {
            // The lease ran out during the POST (or staff asked for a retry) and another round took it over.
            LogClaimLost(logger, id);
            return;
        }
        row.Attempts++;
        if (error is null)
        {
            row.Status = OutboxStatus.Delivered;
            row.DeliveredAt = now;
            row.LastError = null;
            audit.Record(record, AuditTrail.System, "webhook.delivered", AuditTrail.Document(row.DocumentId), "sent",
                $"{WebhookPayload.WireName(row.Event)}, webhook {row.Id}, attempt {row.Attempts}");
        }
        else
        {
            var delay = Backoff.Exponential(row.Attempts, settings.Value.FirstRetryDelay, settings.Value.MaxRetryDelay);
            row.NextAttemptAt = now + delay;
            row.LastError = error.Length <= WebhookDelivery.ErrorMaxLength ? error : error[..WebhookDelivery.ErrorMaxLength];
            LogRetry(logger, id, row.Attempts, delay, error);
        }
        try
        {
            await record.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogClaimLost(logger, id);
            return;
        }
        signal.NotifyChanged();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} attempt {Attempts} failed; retrying in {Delay}: {Error}")]
    private static partial void LogRetry(ILogger logger, Guid webhookId, int attempts, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} was taken over by another round; its outcome here is not recorded")]
    private static partial void LogClaimLost(ILogger logger, Guid webhookId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook sender threw for webhook {WebhookId}")]
    private static partial void LogSenderThrew(ILogger logger, Guid webhookId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatch round failed; retrying at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
