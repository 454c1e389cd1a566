using BackOffice.Application.Abstractions;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Bridge;

/// <summary>A past service opening as supervisors review it.</summary>
public sealed record ServiceOpening(
    Guid CommandId, DateTimeOffset At, string BoxCode, string CompartmentLabel, string RequestedBy, string? Reason, CommandStatus Status,
    string? ResultDetail);

/// <summary>
/// Supervisors open any compartment outside the normal flow (inspection, fault, a document stuck): a reason is
/// mandatory, and the command with its reason stays on record for the day journal and the audit trail. The opening
/// itself goes through <see cref="CompartmentOpenings"/>; this finds the compartment and lists past openings.
/// </summary>
public sealed class ServiceOpenings(IApplicationDbContextFactory contextFactory)
{
    /// <summary>The compartment with this label in the box, or null.</summary>
    public async Task<Guid?> FindCompartmentAsync(Guid boxId, string label, CancellationToken cancellationToken = default)
    {
        label = label.Trim();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Compartments.Where(c => c.BoxId == boxId && c.Label == label).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ServiceOpening>> RecentAsync(int count = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.BridgeCommands.AsNoTracking()
            .Where(c => c.Purpose == CommandPurpose.Service)
            .OrderByDescending(c => c.CreatedAt)
            .Take(count)
            .Join(db.Boxes, c => c.BoxId, b => b.Id, (c, b) => new ServiceOpening(
                c.Id, c.CreatedAt, b.Code, c.CompartmentLabel, c.RequestedBy, c.Reason, c.Status, c.ResultDetail))
            .ToListAsync(cancellationToken);
    }
}
