using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Application.Telemetry;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Bridge;

/// <summary>Why an unlock was not issued.</summary>
public enum UnlockRefusal
{
    UnknownCompartment,
    BoxOffline,
    CompartmentOutOfService,

    /// <summary>A service opening needs a reason (it is audited and printed in the day journal).</summary>
    ReasonRequired,
}

/// <summary>The command id when the unlock was issued, else why not (with the box and compartment, for the words).</summary>
public sealed record UnlockIssue(
    Guid? CommandId, UnlockRefusal? Refusal, DateTimeOffset? LastHeartbeatAt = null, string? BoxCode = null, string? CompartmentLabel = null)
{
    public bool Accepted => CommandId is not null;

    /// <summary>Why the unlock was not issued, for staff to read; null when it was.</summary>
    public Common.Refusal? ToRefusal() => Refusal switch
    {
        null => null,
        UnlockRefusal.BoxOffline when LastHeartbeatAt is { } last => new(RefusalCode.BoxOffline, BoxCode ?? "", last),
        UnlockRefusal.BoxOffline => new(RefusalCode.BoxNeverOnline, BoxCode ?? ""),
        UnlockRefusal.CompartmentOutOfService => new(RefusalCode.CompartmentOutOfService, CompartmentLabel ?? ""),
        UnlockRefusal.ReasonRequired => new(RefusalCode.ReasonRequired),
        _ => new(RefusalCode.UnknownCompartment),
    };
}

/// <summary>
/// Issues unlock commands: stores each before sending it, refuses at once when the box is offline, and lets the box's
/// answer (or the expiry sweep) finish it.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed partial class BridgeCommandService(
    IApplicationDbContextFactory contextFactory,
    IBridgeDispatcher dispatcher,
    AuditTrail audit,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> settings,
    BridgeObservers observers,
    CommandOutcomes outcomes,
    ILogger<BridgeCommandService> logger)
{
    /// <summary>How often a waiter reads the command again although no signal came (an answer taken elsewhere).</summary>
    public static readonly TimeSpan OutcomeRecheck = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Issues an unlock; <c>reason</c> goes into the audit trail (service openings require one); <c>commandId</c> lets the
    /// caller record the id beforehand (a loading stores it with its reservation).
    /// </summary>
    public async Task<UnlockIssue> IssueUnlockAsync(
        Guid compartmentId, CommandPurpose purpose, string actor, CancellationToken cancellationToken = default, string? reason = null,
        Guid? commandId = null)
    {
        // Producer: the box's bridge continues this trace from the command's traceparent (docs/bridge-protocol-v1.md).
        using var activity = BackOfficeTelemetry.ActivitySource.StartActivity("unlock.issue", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag(BackOfficeTelemetry.PurposeTag, purpose.ToString());
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (purpose == CommandPurpose.Service && reason is null)
        {
            activity?.SetTag(BackOfficeTelemetry.RefusalTag, nameof(UnlockRefusal.ReasonRequired));
            return new UnlockIssue(null, UnlockRefusal.ReasonRequired);
        }
        if (reason?.Length > BridgeCommand.DetailMaxLength)
        {
            reason = reason[..BridgeCommand.DetailMaxLength];
        }
        var now = timeProvider.GetUtcNow();
        BridgeCommand command;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            // One round trip for compartment and box, and only what the checks and the command need: this is on the
            // clerk's (and the citizen's) waiting path.
            var target = await db.Compartments.AsNoTracking()
                .Where(c => c.Id == compartmentId)
                .Join(db.Boxes.AsNoTracking(), c => c.BoxId, b => b.Id, (c, b) => new UnlockTarget(
                    c.Id, c.Label, c.State, b.Id, b.Code, b.LastHeartbeatAt))
                .FirstOrDefaultAsync(cancellationToken);
            if (target is null)
            {
                return new UnlockIssue(null, UnlockRefusal.UnknownCompartment);
            }
            activity?.SetTag(BackOfficeTelemetry.BoxTag, target.BoxCode);
            activity?.SetTag(BackOfficeTelemetry.CompartmentTag, target.Label);
            var subject = $"compartment:{target.BoxCode}/{target.Label}";

            var refusal = target.State == CompartmentState.OutOfService && purpose != CommandPurpose.Service
                ? UnlockRefusal.CompartmentOutOfService
                : !Box.IsOnline(target.LastHeartbeatAt, now, settings.Value.HeartbeatTimeout) ? UnlockRefusal.BoxOffline : (UnlockRefusal?)null;
            if (refusal is not null)
            {
                activity?.SetTag(BackOfficeTelemetry.RefusalTag, refusal.Value.ToString());
                audit.Record(db, actor, "bridge.command.refused", subject, "refused", $"{purpose}: {refusal}");
                await db.SaveChangesAsync(cancellationToken);
                LogRefused(logger, purpose, target.BoxCode, target.Label, refusal.Value);
                return new UnlockIssue(null, refusal, target.LastHeartbeatAt, target.BoxCode, target.Label);
            }

            command = new BridgeCommand
            {
                Id = commandId ?? Guid.NewGuid(),
                BoxId = target.BoxId,
                CompartmentId = target.CompartmentId,
                CompartmentLabel = target.Label,
                Purpose = purpose,
                CreatedAt = now,
                ExpiresAt = now + settings.Value.CommandLifetime,
                RequestedBy = actor,
                Reason = reason,
            };
            db.BridgeCommands.Add(command);
            audit.Record(db, actor, "bridge.command.issued", subject, "ok",
                $"{purpose}, command {command.Id}{(reason is null ? "" : $", reason: {reason}")}");
            // Command and audit line in one round trip: the box may open only for a command that is stored and audited.
            await db.SaveChangesInOneRoundTripAsync(cancellationToken);
        }

        activity?.SetTag(BackOfficeTelemetry.CommandIdTag, command.Id.ToString());
        var message = ToMessage(command) with { TraceParent = BackOfficeTelemetry.TraceParentOf(activity) };
        if (await dispatcher.TrySendUnlockAsync(command.BoxId, message, cancellationToken))
        {
            await MarkDeliveredAsync([command.Id], cancellationToken);
        }
        return new UnlockIssue(command.Id, null);
    }

    public async Task<BridgeCommand?> FindAsync(Guid commandId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.BridgeCommands.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commandId, cancellationToken);
    }

    /// <summary>
    /// Waits until the box answered the command or it expired (then a little longer for a late answer), and returns it.
    /// The answer arrives as an in-process signal; the command is read again only every <see cref="OutcomeRecheck"/>.
    /// </summary>
    public async Task<BridgeCommand> WaitForOutcomeAsync(Guid commandId, CancellationToken cancellationToken = default)
    {
        var deadline = timeProvider.GetUtcNow() + settings.Value.CommandLifetime + TimeSpan.FromSeconds(5);
        var signal = outcomes.WhenFinished(commandId);
        try
        {
            while (true)
            {
                var command = await FindAsync(commandId, cancellationToken)
                    ?? throw new InvalidOperationException($"Command {commandId} does not exist.");
                if (command.IsFinished || timeProvider.GetUtcNow() >= deadline)
                {
                    return command;
                }
                using var recheck = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(OutcomeRecheck, timeProvider, recheck.Token);
                if (await Task.WhenAny(signal, delay) == signal)
                {
                    await recheck.CancelAsync();
                    return await signal;
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            outcomes.Forget(commandId);
        }
    }

    internal async Task MarkDeliveredAsync(IReadOnlyCollection<Guid> commandIds, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        // Only a command still pending: a fast box may already have reported the result.
        await db.BridgeCommands
            .Where(c => commandIds.Contains(c.Id) && c.Status == CommandStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommandStatus.Delivered).SetProperty(c => c.DeliveredAt, now), cancellationToken);
    }

    /// <summary>Closes commands nobody answered in time; a late answer from the box still overrides this.</summary>
    public async Task<int> ExpireOverdueAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var overdue = await db.BridgeCommands.AsNoTracking()
            .Where(c => (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Delivered) && c.ExpiresAt <= now)
            .Join(db.Boxes, c => c.BoxId, b => b.Id, (c, b) => new { Command = c, b.Code })
            .ToListAsync(cancellationToken);
        var expired = 0;
        foreach (var item in overdue)
        {
            // One at a time and only while the box has not answered: a result arriving meanwhile wins, and the others
            // still expire.
            const string detail = "Keine Rückmeldung der Box bis zum Ablauf.";
            await using var transaction = await db.BeginTransactionAsync(cancellationToken);
            var updated = await db.BridgeCommands
                .Where(c => c.Id == item.Command.Id && !c.ReportedByBox && (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Delivered))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, CommandStatus.Expired)
                    .SetProperty(c => c.CompletedAt, now)
                    .SetProperty(c => c.ResultDetail, detail), cancellationToken);
            if (updated == 0)
            {
                continue;
            }
            audit.Record(db, AuditTrail.System, "bridge.command.expired", $"command:{item.Command.Id}", "expired",
                $"{item.Code}/{item.Command.CompartmentLabel}, {item.Command.Purpose}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            expired++;
            item.Command.Status = CommandStatus.Expired;
            item.Command.CompletedAt = now;
            item.Command.ResultDetail = detail;
            await observers.CommandFinishedAsync(item.Command, cancellationToken);
        }
        return expired;
    }

    /// <summary>What an unlock reads: the compartment and its box, as far as the checks and the command need them.</summary>
    private sealed record UnlockTarget(
        Guid CompartmentId, string Label, CompartmentState State, Guid BoxId, string BoxCode, DateTimeOffset? LastHeartbeatAt);

    internal static UnlockCommand ToMessage(BridgeCommand command) =>
        new(command.Id, command.CompartmentLabel, command.Purpose.ToString(), command.ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock ({Purpose}) of {Box}/{Compartment} refused: {Refusal}")]
    private static partial void LogRefused(ILogger logger, CommandPurpose purpose, string box, string compartment, UnlockRefusal refusal);
}
