using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Pickup;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Overdue;

/// <summary>A started retrieval (its unlock command), or why it could not start.</summary>
public sealed record RetrievalStart(Guid? CommandId, Refusal? Refusal)
{
    public bool Started => CommandId is not null;
}

/// <summary>
/// Takes documents back out of the box to the counter (overdue, or on request): the clerk triggers Unlock(Retrieve),
/// takes everything out of the compartment and closes the door. Then, in one transaction, the compartment is free, the
/// documents are "back at the counter", their PIN is void and the citizen is told by SMS. If the door does not open,
/// the documents stay ready for pickup.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class DocumentRetrieval(
    IApplicationDbContextFactory contextFactory,
    BridgeCommandService commands,
    AuditTrail audit,
    TimeProvider timeProvider,
    SmsOutbox outbox) : IBridgeObserver
{
    public async Task<RetrievalStart> StartAsync(Guid compartmentId, string actor, CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            var compartment = await db.Compartments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == compartmentId, cancellationToken);
            var documents = await db.Documents
                .Where(d => d.CompartmentId == compartmentId && (d.State == DocumentState.ReadyForPickup || d.State == DocumentState.PickupOpening
                    || d.State == DocumentState.Retrieving))
                .ToListAsync(cancellationToken);
            var refusal = compartment is null ? new Refusal(RefusalCode.UnknownCompartment)
                : documents.Count == 0 ? new Refusal(RefusalCode.NothingToRetrieve, compartment.Label)
                : documents.Any(d => d.State == DocumentState.PickupOpening) ? new Refusal(RefusalCode.OpeningForPickup, compartment.Label)
                : documents.Any(d => d.State == DocumentState.Retrieving) ? new Refusal(RefusalCode.AlreadyRetrieving, compartment.Label)
                : null;
            if (refusal is not null)
            {
                return new RetrievalStart(null, refusal);
            }
            var now = timeProvider.GetUtcNow();
            foreach (var document in documents)
            {
                AuditTrail.AddTimeline(db, document.StartRetrieval(now, actor, $"Rückholung aus Fach {compartment!.Label} zum Schalter begonnen.", compartment.Label));
            }
            var code = await db.Boxes.Where(b => b.Id == compartment!.BoxId).Select(b => b.Code).FirstAsync(cancellationToken);
            audit.Record(db, actor, "retrieval.started", $"compartment:{code}/{compartment!.Label}", "ok", $"{documents.Count} document(s)");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new RetrievalStart(null, new Refusal(RefusalCode.CompartmentOpenedMeanwhile, compartment!.Label));
            }
        }

        var issue = await commands.IssueUnlockAsync(compartmentId, CommandPurpose.Retrieve, actor, cancellationToken);
        if (!issue.Accepted)
        {
            await RevertAsync(compartmentId, "Fach konnte nicht geöffnet werden; die Dokumente bleiben abholbereit.", actor, cancellationToken);
            return new RetrievalStart(null, issue.ToRefusal());
        }
        return new RetrievalStart(issue.CommandId, null);
    }

    public async Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        if (command.Purpose != CommandPurpose.Retrieve)
        {
            return;
        }
        if (command.Status == CommandStatus.Opened)
        {
            await ResumeAsync(command, cancellationToken);
            return;
        }
        await RevertAsync(command.CompartmentId,
            $"Fach hat sich zur Rückholung nicht geöffnet: {command.ResultDetail?.TrimEnd('.') ?? command.Status.ToString()}; die Dokumente bleiben abholbereit.",
            AuditTrail.System, cancellationToken);
    }

    public async Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken)
    {
        if (change.State != DoorState.Closed || !change.Activity.Retrieving)
        {
            return;
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        if (await CompleteAsync(db, change.CompartmentId, null, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            outbox.Wake();
        }
    }

    /// <summary>
    /// The box says the door did open after the server had given the retrieval up: the clerk stood at the open door.
    /// The retrieval resumes, and completes if the door has closed since.
    /// </summary>
    private async Task ResumeAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var reverted = await db.Documents
            .Where(d => d.CompartmentId == command.CompartmentId && d.State == DocumentState.ReadyForPickup
                && db.DocumentEvents.Where(e => e.DocumentId == d.Id).OrderByDescending(e => e.Id).Select(e => e.Kind).FirstOrDefault() == DocumentEventKind.RetrievalAborted
                && db.DocumentEvents.Any(e => e.DocumentId == d.Id && e.Kind == DocumentEventKind.RetrievalAborted && e.At >= command.CreatedAt))
            .ToListAsync(cancellationToken);
        if (reverted.Count == 0)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        foreach (var document in reverted)
        {
            AuditTrail.AddTimeline(db, document.StartRetrieval(now, command.RequestedBy, "Die Box meldet das Fach doch zur Rückholung geöffnet.", command.CompartmentLabel));
        }
        var compartment = await db.Compartments.FirstAsync(c => c.Id == command.CompartmentId, cancellationToken);
        if (DoorHistory.ExplainsCheck(compartment, command.CreatedAt))
        {
            compartment.ClearCheck();
        }
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var completed = (await DoorHistory.SinceAsync(db, command.CompartmentId, command.CreatedAt, cancellationToken)).ClosedAfterOpening
            && await CompleteAsync(db, command.CompartmentId, null, cancellationToken);
        if (completed)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (completed)
        {
            outbox.Wake();
        }
    }

    /// <summary>
    /// A person settles a retrieval the box never finished (stuck page): the documents are at the counter, or still in
    /// the compartment (ready for pickup again).
    /// </summary>
    public async Task<bool> ResolveAsync(Guid compartmentId, bool atCounter, string actor, CancellationToken cancellationToken = default)
    {
        if (!atCounter)
        {
            return await RevertAsync(compartmentId, "Von Hand geklärt: die Dokumente liegen weiter im Fach.", actor, cancellationToken);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        if (!await CompleteAsync(db, compartmentId, actor, cancellationToken))
        {
            return false;
        }
        await db.SaveChangesAsync(cancellationToken);
        outbox.Wake();
        return true;
    }

    /// <summary>The documents being retrieved are at the counter: compartment free, PIN void, SMS queued (not saved).</summary>
    private async Task<bool> CompleteAsync(IApplicationDbContext db, Guid compartmentId, string? confirmedBy, CancellationToken cancellationToken)
    {
        var documents = await db.Documents
            .Where(d => d.CompartmentId == compartmentId && d.State == DocumentState.Retrieving)
            .ToListAsync(cancellationToken);
        if (documents.Count == 0)
        {
            return false;
        }
        var now = timeProvider.GetUtcNow();
        var compartment = await db.Compartments.FirstAsync(c => c.Id == compartmentId, cancellationToken);
        var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == compartment.BoxId, cancellationToken);
        // The clerk who asked for the opening took the documents out.
        var clerk = confirmedBy ?? await db.BridgeCommands
            .Where(c => c.CompartmentId == compartmentId && c.Purpose == CommandPurpose.Retrieve)
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => c.RequestedBy)
            .FirstOrDefaultAsync(cancellationToken) ?? AuditTrail.Box(box.Code);
        foreach (var document in documents)
        {
            AuditTrail.AddTimeline(db, document.CompleteRetrieval(now, clerk,
                $"Aus Fach {compartment.Label} zurückgeholt; liegt am Schalter. PIN ungültig, SMS an den Bürger vorgemerkt.", compartment.Label));
        }
        await QueueBackAtCounterSmsAsync(db, outbox, documents, box.Name, cancellationToken);
        compartment.Vacate();
        audit.Record(db, clerk, "retrieval.completed", $"compartment:{box.Code}/{compartment.Label}", "ok", $"{documents.Count} document(s) back at the counter");
        return true;
    }

    /// <summary>
    /// The SMS of every way back to the counter (a retrieval, an inventory, a missing document found again): the
    /// household's documents left the compartment together, one SMS per number, naming them all (queued, not saved).
    /// </summary>
    internal static async Task QueueBackAtCounterSmsAsync(
        IApplicationDbContext db, SmsOutbox outbox, IReadOnlyList<Document> documents, string boxName, CancellationToken cancellationToken)
    {
        foreach (var compartment in documents.GroupBy(d => d.CompartmentId))
        {
            var ordered = Households.InLoadOrder(compartment, await DocumentActions.LoadOrderAsync(db, compartment.First().LoadId, cancellationToken));
            var text = SmsTexts.ReturnedToCounter(ordered.Select(Households.ForSms).ToList(), boxName);
            foreach (var first in ordered.GroupBy(d => d.MobileNumber, StringComparer.Ordinal).Select(g => g.First()))
            {
                outbox.Enqueue(db, first.MobileNumber, SmsPurpose.ReturnedToCounter, first.Id, text);
            }
        }
    }

    private async Task<bool> RevertAsync(Guid compartmentId, string note, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var documents = await db.Documents
            .Where(d => d.CompartmentId == compartmentId && d.State == DocumentState.Retrieving)
            .ToListAsync(cancellationToken);
        var label = await db.Compartments.Where(c => c.Id == compartmentId).Select(c => c.Label).FirstOrDefaultAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        foreach (var document in documents)
        {
            AuditTrail.AddTimeline(db, document.RevertRetrieval(now, actor, note, label));
        }
        await db.SaveChangesAsync(cancellationToken);
        return documents.Count > 0;
    }
}
