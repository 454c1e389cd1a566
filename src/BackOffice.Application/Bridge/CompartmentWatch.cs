using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Bridge;

/// <summary>
/// Notices a door the box reports open when nothing the back office knows of explains it (no active loading, pickup,
/// retrieval, nor a recent service opening): what is inside is uncertain, so the compartment waits for a person's
/// check and is never proposed for a loading meanwhile. What would explain it is <see cref="CompartmentActivity.ExplainsOpenDoor"/>.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class CompartmentWatch(
    IApplicationDbContextFactory contextFactory,
    AuditTrail audit,
    TimeProvider timeProvider) : IBridgeObserver
{
    public const string UnexplainedOpening = "Die Box meldete die Tür offen, ohne dass eine Öffnung erwartet war. Bitte Inhalt prüfen.";

    public Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken)
    {
        if (change.State != DoorState.Open || change.Activity.ExplainsOpenDoor)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var compartment = await db.Compartments.FirstAsync(c => c.Id == change.CompartmentId, cancellationToken);
        if (compartment.NeedsCheck)
        {
            return;
        }
        compartment.RequireCheck(now, UnexplainedOpening);
        var code = await db.Boxes.Where(b => b.Id == compartment.BoxId).Select(b => b.Code).FirstAsync(cancellationToken);
        audit.Record(db, AuditTrail.System, "compartment.check_required", $"compartment:{code}/{compartment.Label}", "open", UnexplainedOpening);
        await db.SaveChangesAsync(cancellationToken);
    }
}
