using BackOffice.Application.Abstractions;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Bridge;

/// <summary>A door the box reported moved, with what the back office had under way in that compartment.</summary>
public sealed record DoorChange(Guid CompartmentId, DoorState State, CompartmentActivity Activity);

/// <summary>
/// What the back office has under way in one compartment, read in one query when its door moves, so that each
/// <see cref="IBridgeObserver"/> learns without a query of its own whether the event is its business. An observer whose
/// flag is set still reads and changes its own rows: this says where to look, not what to do.
/// </summary>
public sealed record CompartmentActivity(bool Loading, bool Inventory, bool PickupOpening, bool Retrieving, bool RecentServiceOpening)
{
    /// <summary>An open door with none of these is unexpected: what is inside is uncertain.</summary>
    public bool ExplainsOpenDoor => Loading || PickupOpening || Retrieving || RecentServiceOpening;

    /// <summary>A service opening counts as under way from its command until a little after the command could still run.</summary>
    public static DateTimeOffset ServiceWindowStart(DateTimeOffset now, BridgeTimingOptions timing) =>
        now - timing.CommandLifetime - TimeSpan.FromMinutes(2);

    /// <summary>One round trip; a compartment that does not exist has nothing under way.</summary>
    public static async Task<CompartmentActivity> ReadAsync(
        IApplicationDbContext db, Guid compartmentId, DateTimeOffset serviceWindowStart, CancellationToken cancellationToken) =>
        await db.Compartments.AsNoTracking()
            .Where(c => c.Id == compartmentId)
            .Select(c => new CompartmentActivity(
                db.CompartmentLoads.Any(l => l.CompartmentId == c.Id && (l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen)),
                db.Inventories.Any(i => (i.Status == InventoryStatus.Running || i.Status == InventoryStatus.Paused)
                    && i.Items.Any(x => x.CompartmentId == c.Id && (x.Status == InventoryItemStatus.Opening || x.Status == InventoryItemStatus.Open))),
                db.Documents.Any(d => d.CompartmentId == c.Id && d.State == DocumentState.PickupOpening),
                db.Documents.Any(d => d.CompartmentId == c.Id && d.State == DocumentState.Retrieving),
                db.BridgeCommands.Any(b => b.CompartmentId == c.Id && b.Purpose == CommandPurpose.Service
                    && b.CreatedAt >= serviceWindowStart && b.Status != CommandStatus.Failed)))
            .FirstOrDefaultAsync(cancellationToken)
        ?? new CompartmentActivity(false, false, false, false, false);
}
