using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Domain.Operations;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Operations;

/// <summary>An event the receiver has not taken yet, as the undelivered list shows it.</summary>
public sealed record UndeliveredWebhook(
    Guid Id, WebhookEvent Event, string ApplicationReference, DateTimeOffset OccurredAt, int Attempts,
    DateTimeOffset NextAttemptAt, string? LastError);

/// <summary>The "Webhooks" page: undelivered events and a retry now.</summary>
/// <remarks>Singleton; each call uses its own database context.</remarks>
public sealed class WebhookAdministration(
    IApplicationDbContextFactory contextFactory, WebhookSignal signal, AuditTrail audit, TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<UndeliveredWebhook>> ListUndeliveredAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(w => w.Status == OutboxStatus.Pending)
            .OrderBy(w => w.OccurredAt)
            .Take(500)
            .Select(w => new UndeliveredWebhook(w.Id, w.Event, w.ApplicationReference, w.OccurredAt, w.Attempts, w.NextAttemptAt, w.LastError))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Makes an undelivered event due now and wakes the dispatcher; false if it was delivered meanwhile.</summary>
    public async Task<bool> RetryAsync(Guid id, string actor, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var row = await db.WebhookDeliveries.SingleOrDefaultAsync(w => w.Id == id && w.Status == OutboxStatus.Pending, cancellationToken);
        if (row is null)
        {
            return false;
        }
        row.NextAttemptAt = now;
        audit.Record(db, actor, "webhook.retry", AuditTrail.Document(row.DocumentId), "ok",
            $"{WebhookPayload.WireName(row.Event)}, webhook {row.Id}, after {row.Attempts} attempt(s)");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        signal.Wake();
        return true;
    }
}
