using BackOffice.Application.Abstractions;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Bridge;

/// <summary>What the box reported of one door since a command was issued: the facts a late report is reconciled with.</summary>
public sealed record DoorHistory(bool Opened, bool ClosedAfterOpening)
{
    // The box stamps events with its own clock; it may run a little behind the server's.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromSeconds(5);

    public static async Task<DoorHistory> SinceAsync(
        IApplicationDbContext db, Guid compartmentId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var states = await db.DoorEvents.AsNoTracking()
            .Where(e => e.CompartmentId == compartmentId && e.ReceivedAt >= since && e.At >= since - ClockTolerance)
            .OrderBy(e => e.At)
            .Select(e => e.State)
            .ToListAsync(cancellationToken);
        var firstOpen = states.IndexOf(DoorState.Open);
        return new DoorHistory(firstOpen >= 0, firstOpen >= 0 && states.Skip(firstOpen + 1).Contains(DoorState.Closed));
    }

    /// <summary>A check requested since the command was issued is explained once the command's opening is known.</summary>
    public static bool ExplainsCheck(Compartment compartment, DateTimeOffset commandCreatedAt) =>
        compartment.CheckRequiredSince is { } since && since >= commandCreatedAt - ClockTolerance;
}
