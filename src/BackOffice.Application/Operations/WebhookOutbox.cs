using BackOffice.Application.Abstractions;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Operations;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Operations;

/// <summary>
/// Writes handover events into the webhook outbox inside the unit of work that changes the document, so the event is
/// stored exactly when the change is. Infrastructure calls it for every timeline line being saved (one place that
/// sees every loading, pickup and retrieval); the <see cref="WebhookDispatcher"/> sends afterwards.
/// </summary>
/// <remarks>Singleton; thread-safe. Records nothing while no receiver is configured.</remarks>
public sealed class WebhookOutbox(IOptions<WebhookOptions> settings, WebhookSignal signal)
{
    /// <summary>Adds the delivery for <paramref name="documentEvent"/> if it is a handover event; the caller saves.</summary>
    /// <returns>Whether a delivery was added (then <see cref="Wake"/> after saving).</returns>
    public bool EnqueueFor(IApplicationDbContext db, DocumentEvent documentEvent, string applicationReference)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!settings.Value.Enabled || WebhookPayload.EventOf(documentEvent) is not { } webhookEvent)
        {
            return false;
        }
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            Id = Guid.NewGuid(),
            DocumentId = documentEvent.DocumentId,
            ApplicationReference = applicationReference,
            Event = webhookEvent,
            OccurredAt = documentEvent.At,
            Status = OutboxStatus.Pending,
            NextAttemptAt = documentEvent.At,
        });
        return true;
    }

    /// <summary>Tells this instance's dispatcher to look at once; call after SaveChanges.</summary>
    public void Wake() => signal.Wake();
}
