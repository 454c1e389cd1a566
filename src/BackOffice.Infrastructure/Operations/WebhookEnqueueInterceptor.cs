using BackOffice.Application.Operations;
using BackOffice.Domain.Documents;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BackOffice.Infrastructure.Operations;

/// <summary>
/// Puts a webhook into the outbox for every handover timeline line saved, in the same SaveChanges: every loading,
/// pickup and retrieval writes its timeline line through the document's lifecycle, so no use case has to remember to.
/// </summary>
internal sealed class WebhookEnqueueInterceptor(WebhookOutbox outbox) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Enqueue(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Enqueue(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Wake(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Enqueue(DbContext? context)
    {
        if (context is not BackOfficeDbContext db)
        {
            return;
        }
        var added = db.ChangeTracker.Entries<DocumentEvent>()
            .Where(e => e.State == EntityState.Added && WebhookPayload.EventOf(e.Entity) is not null)
            .Select(e => e.Entity)
            .ToList();
        foreach (var documentEvent in added)
        {
            // The lifecycle method that wrote the line changed the tracked document; a query is the fallback.
            var reference = db.ChangeTracker.Entries<Document>().FirstOrDefault(d => d.Entity.Id == documentEvent.DocumentId)?.Entity.ApplicationReference
                ?? db.Documents.AsNoTracking().Where(d => d.Id == documentEvent.DocumentId).Select(d => d.ApplicationReference).Single();
            outbox.EnqueueFor(db, documentEvent, reference);
        }
    }

    private void Wake(DbContext? context)
    {
        if (context is BackOfficeDbContext db
            && db.ChangeTracker.Entries<BackOffice.Domain.Operations.WebhookDelivery>().Any(e => e.Entity.Attempts == 0 && e.Entity.DeliveredAt is null))
        {
            outbox.Wake();
        }
    }
}
