using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Bridge;

/// <summary>
/// Notices a door the box reports open when nothing the back office knows of explains it (no active loading, pickup,
/// retrieval, nor a recent service opening): what is inside is uncertain, so the compartment waits for a person's
/// check and is never proposed for a loading meanwhile. Runs after the other observers, which may explain it first.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class CompartmentWatch(
    IApplicationDbContextFactory contextFactory,
    AuditTrail audit,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> settings) : IBridgeObserver
{
    public const string UnexplainedOpening = "Die Box meldete die Tür offen, ohne dass eine Öffnung erwartet war. Bitte Inhalt prüfen.";

    public Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task DoorChangedAsync(Guid compartmentId, DoorState state, CancellationToken cancellationToken)
    {
        if (state != DoorState.Open)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        var serviceWindow = now - settings.Value.CommandLifetime - TimeSpan.FromMinutes(2);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var explained =
            await db.CompartmentLoads.AnyAsync(l => l.CompartmentId == compartmentId && (l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen), cancellationToken)
            || await db.Documents.AnyAsync(d => d.CompartmentId == compartmentId
                && (d.State == DocumentState.PickupOpening || d.State == DocumentState.Retrieving), cancellationToken)
            || await db.BridgeCommands.AnyAsync(c => c.CompartmentId == compartmentId && c.Purpose == CommandPurpose.Service
                && c.CreatedAt >= serviceWindow && c.Status != CommandStatus.Failed, cancellationToken);
        if (explained)
        {
            return;
        }
        var compartment = await db.Compartments.FirstAsync(c => c.Id == compartmentId, cancellationToken);
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
