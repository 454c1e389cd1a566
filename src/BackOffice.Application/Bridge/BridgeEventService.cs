using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
                    compartment.DoorState = reported[compartment.Label];
                    compartment.DoorStateAt = now;
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
        var command = await db.BridgeCommands.FirstOrDefaultAsync(c => c.Id == report.CommandId && c.BoxId == box.Id, cancellationToken)
            ?? throw new BridgeProtocolException($"Unknown command {report.CommandId}.");
        if (command.ReportedByBox)
        {
            // The same result again: nothing changes here. Observers hear it again (they are idempotent), in case
            // they failed the first time and the bridge is repeating the report because of that.
            await observers.CommandFinishedAsync(command, cancellationToken);
            return;
        }

        command.Status = Enum.Parse<CommandStatus>(report.Outcome);
        command.CompletedAt = timeProvider.GetUtcNow();
        command.ResultDetail = report.Detail;
        command.ReportedByBox = true;
        audit.Record(db, AuditTrail.Box(box.Code), "bridge.command.result", $"command:{command.Id}", report.Outcome.ToLowerInvariant(),
            $"{box.Code}/{command.CompartmentLabel}, {command.Purpose}{(report.Detail is null ? "" : $": {report.Detail}")}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The same report raced with itself (or with the expiry sweep): let the caller repeat it.
            throw new BridgeProtocolException($"Command {command.Id} changed meanwhile; report it again.");
        }
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
            // Already recorded. A quick repeat is the bridge retrying because handling failed the first time: let the
            // observers (idempotent) hear it again. An old event replayed much later must not touch today's loading.
            if (recorded.ReceivedAt >= timeProvider.GetUtcNow() - TimeSpan.FromMinutes(1))
            {
                await observers.DoorChangedAsync(recorded.CompartmentId, recorded.State, cancellationToken);
            }
            return;
        }
        var compartment = await db.Compartments.FirstOrDefaultAsync(c => c.BoxId == box.Id && c.Label == report.Compartment, cancellationToken)
            ?? throw new BridgeProtocolException($"Unknown compartment '{report.Compartment}'.");
        var state = Enum.Parse<DoorState>(report.State);

        db.DoorEvents.Add(new DoorEvent
        {
            BoxId = box.Id,
            EventId = report.EventId,
            CompartmentId = compartment.Id,
            State = state,
            At = report.At,
            ReceivedAt = timeProvider.GetUtcNow(),
        });
        audit.Record(db, AuditTrail.Box(box.Code), "bridge.door", $"compartment:{box.Code}/{compartment.Label}", state.ToString().ToLowerInvariant());

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return; // The same event arrived twice at once; the other one was stored.
        }
        // Events can arrive out of order after a reconnect: only a newer one moves the door state.
        // ExecuteUpdate leaves the compartment's other fields (a clerk may be changing them) alone.
        await db.Compartments
            .Where(c => c.Id == compartment.Id && (c.DoorStateAt == null || c.DoorStateAt <= report.At))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.DoorState, state).SetProperty(c => c.DoorStateAt, report.At), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await observers.DoorChangedAsync(compartment.Id, state, cancellationToken);
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
