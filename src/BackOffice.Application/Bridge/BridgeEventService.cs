using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Occupancy;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Bridge;

/// <summary>
/// Everything a bridge reports: hello, command results, door events, heartbeats. Validates each message (a bad one is
/// refused with <see cref="BridgeProtocolException"/> and nothing is stored) and makes repeated reports harmless.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class BridgeEventService(
    IApplicationDbContextFactory contextFactory,
    BridgeCommandService commands,
    AuditTrail audit,
    BridgeObservers observers,
    OccupancyChanges changes,
    IDatabaseErrors databaseErrors,
    TimeProvider timeProvider)
{
    public async Task<HelloResponse> HelloAsync(BoxIdentity box, HelloRequest? hello, CancellationToken cancellationToken)
    {
        Require(hello is not null, "Hello without payload.");
        RequireText(hello!.SoftwareVersion, "softwareVersion");
        var doors = hello.Doors ?? [];
        Require(doors.Count <= BridgeProtocol.Limits.MaxDoorsInHello, "Too many doors in Hello.");
        foreach (var door in doors)
        {
            Require(door is not null, "Null door in Hello.");
            RequireText(door!.Compartment, "doors.compartment");
            RequireOneOf(door.State, BridgeProtocol.DoorStates.All, "doors.state");
        }
        Require(doors.Select(d => d.Compartment).Distinct(StringComparer.Ordinal).Count() == doors.Count, "doors names a compartment twice.");

        var now = timeProvider.GetUtcNow();
        List<BridgeCommand> pending;
        List<(Guid Id, DoorState State)> changedDoors = [];
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            var entity = await db.Boxes.FirstAsync(b => b.Id == box.Id, cancellationToken);
            entity.BridgeSoftwareVersion = hello.SoftwareVersion;
            entity.LastHeartbeatAt = now;

            var reported = doors.ToDictionary(d => d.Compartment, d => Enum.Parse<DoorState>(d.State), StringComparer.Ordinal);
            if (reported.Count > 0)
            {
                var compartments = await db.Compartments
                    .Where(c => c.BoxId == box.Id && reported.Keys.Contains(c.Label))
                    .ToListAsync(cancellationToken);
                foreach (var compartment in compartments.Where(c => c.DoorState != reported[c.Label]))
                {
                    // Not the first contact (Unknown): the door moved while the box was not connected.
                    if (compartment.DoorState != DoorState.Unknown)
                    {
                        changedDoors.Add((compartment.Id, reported[compartment.Label]));
                    }
                    compartment.ReportDoor(reported[compartment.Label], now);
                }
            }

            pending = await db.BridgeCommands.AsNoTracking()
                .Where(c => c.BoxId == box.Id && (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Delivered) && c.ExpiresAt > now)
                .OrderBy(c => c.CreatedAt)
                .ToListAsync(cancellationToken);
            audit.Record(db, AuditTrail.Box(box.Code), "bridge.hello", $"box:{box.Code}", "ok",
                $"software {hello.SoftwareVersion}, {doors.Count} doors, {pending.Count} pending commands");
            await db.SaveChangesAsync(cancellationToken);
        }
        // The box may come from another instance that stored some of its reports' consequences and died before it
        // announced them (killed between its commit and the relay): this instance's dashboards read every compartment
        // again rather than show the state before that commit until the compartment next changes.
        changes.Resync();

        // What the box says of its doors is a fact like a door event: a loading whose door closed meanwhile completes,
        // a door open without a known reason asks for a check.
        foreach (var (compartmentId, state) in changedDoors)
        {
            await observers.DoorChangedAsync(compartmentId, state, cancellationToken);
        }
        if (pending.Count > 0)
        {
            await commands.MarkDeliveredAsync(pending.Select(c => c.Id).ToList(), cancellationToken);
        }
        return new HelloResponse(now, pending.Select(BridgeCommandService.ToMessage).ToList());
    }

    public async Task ReportCommandResultAsync(BoxIdentity box, CommandResultReport? report, CancellationToken cancellationToken)
    {
        Require(report is not null, "Command result without payload.");
        Require(report!.CommandId != Guid.Empty, "commandId is missing.");
        RequireOneOf(report.Outcome, BridgeProtocol.Outcomes.All, "outcome");
        Require(report.Detail is null || report.Detail.Length <= BridgeCommand.DetailMaxLength, "detail is too long.");

        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var command = await db.BridgeCommands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == report.CommandId && c.BoxId == box.Id, cancellationToken)
            ?? throw new BridgeProtocolException($"Unknown command {report.CommandId}.");
        if (!command.ReportedByBox)
        {
            // The box's word replaces whatever the server assumed (delivered, or expired by the sweep). A conditional
            // update instead of a concurrency token: "delivered" or an expiry landing a moment earlier is no conflict.
            var status = Enum.Parse<CommandStatus>(report.Outcome);
            var now = timeProvider.GetUtcNow();
            var late = command.Status == CommandStatus.Expired;
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            var updated = await db.BridgeCommands
                .Where(c => c.Id == command.Id && !c.ReportedByBox)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, status)
                    .SetProperty(c => c.CompletedAt, now)
                    .SetProperty(c => c.ResultDetail, report.Detail)
                    .SetProperty(c => c.ReportedByBox, true), cancellationToken);
            if (updated == 1)
            {
                audit.Record(db, AuditTrail.Box(box.Code), "bridge.command.result", $"command:{command.Id}", report.Outcome.ToLowerInvariant(),
                    $"{box.Code}/{command.CompartmentLabel}, {command.Purpose}{(late ? ", after the server had expired it" : "")}"
                    + (report.Detail is null ? "" : $": {report.Detail}"));
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            command = await db.BridgeCommands.AsNoTracking().FirstAsync(c => c.Id == command.Id, cancellationToken);
        }
        // Also for a repeated report: the observers (idempotent) may have failed the first time, which is why the
        // bridge repeats it.
        await observers.CommandFinishedAsync(command, cancellationToken);
    }

    public async Task ReportDoorAsync(BoxIdentity box, DoorReport? report, CancellationToken cancellationToken)
    {
        Require(report is not null, "Door report without payload.");
        Require(report!.EventId != Guid.Empty, "eventId is missing.");
        RequireText(report.Compartment, "compartment");
        RequireOneOf(report.State, BridgeProtocol.DoorStates.All, "state");
        Require(report.At != default, "at is missing.");

        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var recorded = await db.DoorEvents.AsNoTracking()
            .FirstOrDefaultAsync(e => e.BoxId == box.Id && e.EventId == report.EventId, cancellationToken);
        if (recorded is not null)
        {
            // Already stored. If its consequences were not all applied (the database went away mid-way), the bridge
            // is repeating it for exactly that reason: apply them now, however late. Once applied, a repeat is ignored.
            if (recorded.ProcessedAt is null)
            {
                await ApplyDoorEventAsync(db, recorded, cancellationToken);
            }
            return;
        }
        var compartment = await db.Compartments.AsNoTracking().FirstOrDefaultAsync(c => c.BoxId == box.Id && c.Label == report.Compartment, cancellationToken)
            ?? throw new BridgeProtocolException($"Unknown compartment '{report.Compartment}'.");
        var state = Enum.Parse<DoorState>(report.State);

        var doorEvent = new DoorEvent
        {
            BoxId = box.Id,
            EventId = report.EventId,
            CompartmentId = compartment.Id,
            State = state,
            At = report.At,
            ReceivedAt = timeProvider.GetUtcNow(),
        };
        db.DoorEvents.Add(doorEvent);
        audit.Record(db, AuditTrail.Box(box.Code), "bridge.door", $"compartment:{box.Code}/{compartment.Label}", state.ToString().ToLowerInvariant());

        await using (var transaction = await db.BeginTransactionAsync(cancellationToken))
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (databaseErrors.IsUniqueViolation(ex))
            {
                return; // The same event arrived twice at once; the other call applies it.
            }
            // Events can arrive out of order after a reconnect: only a newer one moves the door state.
            // ExecuteUpdate leaves the compartment's other fields (a clerk may be changing them) alone.
            await db.Compartments
                .Where(c => c.Id == compartment.Id && (c.DoorStateAt == null || c.DoorStateAt <= report.At))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.DoorState, state).SetProperty(c => c.DoorStateAt, report.At), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // Stored: the dashboards see the door now, before its consequences (a loading completing) are worked out.
        changes.DoorReported(compartment.Id, state, report.At);
        await ApplyDoorEventAsync(db, doorEvent, cancellationToken);
    }

    /// <summary>Runs the event's consequences, then marks it processed (a failure in between leaves it for the bridge's repeat).</summary>
    private async Task ApplyDoorEventAsync(IApplicationDbContext db, DoorEvent doorEvent, CancellationToken cancellationToken)
    {
        await observers.DoorChangedAsync(doorEvent.CompartmentId, doorEvent.State, cancellationToken);
        var now = timeProvider.GetUtcNow();
        await db.DoorEvents
            .Where(e => e.BoxId == doorEvent.BoxId && e.EventId == doorEvent.EventId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessedAt, now), cancellationToken);
    }

    public async Task ReportHeartbeatAsync(BoxIdentity box, HeartbeatReport? report, CancellationToken cancellationToken)
    {
        Require(report is not null, "Heartbeat without payload.");
        Require(report!.At != default, "at is missing.");
        Require(report!.ReturnBinFillPercent is >= 0 and <= 100, "returnBinFillPercent must be 0..100.");
        var faults = report.Faults ?? [];
        Require(faults.Count <= BridgeProtocol.Limits.MaxFaults, "Too many faults.");
        foreach (var fault in faults)
        {
            RequireText(fault, "faults");
        }

        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        await db.Boxes.Where(b => b.Id == box.Id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.LastHeartbeatAt, now)
            .SetProperty(b => b.ReturnBinFillPercent, report.ReturnBinFillPercent)
            .SetProperty(b => b.Faults, faults.ToList()), cancellationToken);
        changes.BoxChanged(box.Id);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new BridgeProtocolException(message);
        }
    }

    private static void RequireText(string? value, string field) =>
        Require(!string.IsNullOrWhiteSpace(value) && value.Length <= BridgeProtocol.Limits.MaxTextLength, $"{field} is missing or too long.");

    private static void RequireOneOf(string? value, IReadOnlyList<string> allowed, string field) =>
        Require(value is not null && allowed.Contains(value), $"{field} must be one of {string.Join(", ", allowed)}.");
}
