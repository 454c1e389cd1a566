using System.Diagnostics;
using BackOffice.Bridge.Contracts;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// Executes one <see cref="UnlockCommand"/> at most once: checks the journal, the expiry (on the server's clock),
/// drives the lock and records the result in the journal (which also queues it for the server).
/// </summary>
internal sealed partial class CommandExecutor(
    ILockDriver lockDriver, BridgeJournal journal, TimeProvider timeProvider, ILogger logger, BridgeMetrics? metrics = null)
{
    public const string ExpiredDetail = "Befehl war abgelaufen; das Fach wurde nicht geöffnet.";
    public const string InvalidCommandDetail = "Ungültiger Befehl: kein Fach angegeben.";

    private long _clockOffsetTicks;

    /// <summary>Server clock minus local clock, as measured at the last Hello.</summary>
    public TimeSpan ClockOffset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));
        set => Interlocked.Exchange(ref _clockOffsetTicks, value.Ticks);
    }

    /// <summary>The local clock moved onto the server's.</summary>
    public DateTimeOffset ServerNow => timeProvider.GetUtcNow() + ClockOffset;

    /// <summary>
    /// Executes the command or reproduces its recorded result. Null when the same command is executing right now
    /// (that execution reports it). Cancellation leaves no result: after a restart the command counts as interrupted.
    /// </summary>
    public async Task<CommandExecution?> ExecuteAsync(UnlockCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        // Continues the back office's trace (the command's traceparent); without a listener there is no span, and the
        // result then carries the command's own traceparent back.
        using var activity = BridgeTelemetry.StartExecution(command);
        switch (journal.ClaimCommand(command.CommandId, out var recorded))
        {
            case CommandClaim.InProgress:
                LogAlreadyExecuting(logger, command.CommandId);
                return null;
            case CommandClaim.Completed:
                LogExecutedBefore(logger, command.CommandId, recorded!.Outcome);
                journal.RequeueResult(recorded);
                return new CommandExecution(recorded, IsNewResult: false);
        }

        if (string.IsNullOrWhiteSpace(command.Compartment))
        {
            return Complete(command, BridgeProtocol.Outcomes.Failed, InvalidCommandDetail);
        }
        if (command.ExpiresAt <= ServerNow)
        {
            LogArrivedExpired(logger, command.CommandId, command.Compartment, command.ExpiresAt, ServerNow);
            return Complete(command, BridgeProtocol.Outcomes.Expired, ExpiredDetail);
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            journal.RecordCommandStarted(command.CommandId);
        }
        catch
        {
            journal.ReleaseClaim(command.CommandId);
            throw;
        }

        LockOpenResult open;
        try
        {
            open = await lockDriver.OpenAsync(command.Compartment, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // Shutting down mid-open: the journal says "started", so it is reported as interrupted after a restart.
        }
        catch (Exception ex)
        {
            LogDriverFailed(logger, command.Compartment, command.CommandId, ex);
            open = new LockOpenResult(false, $"Fehler der Schließsteuerung: {ex.Message}");
        }

        // Opened after ExpiresAt still counts as Opened: the door is open.
        return open.Opened
            ? Complete(command, BridgeProtocol.Outcomes.Opened, open.Detail)
            : Complete(command, BridgeProtocol.Outcomes.Failed, open.Detail ?? "Fach konnte nicht geöffnet werden.");
    }

    private CommandExecution Complete(UnlockCommand command, string outcome, string? detail)
    {
        if (detail is { Length: > BridgeProtocol.Limits.MaxTextLength })
        {
            detail = detail[..BridgeProtocol.Limits.MaxTextLength];
        }
        var activity = Activity.Current;
        activity?.SetTag(BridgeTelemetry.OutcomeTag, outcome);
        var traceParent = activity is { Source.Name: BridgeTelemetry.Name, IdFormat: ActivityIdFormat.W3C } ? activity.Id : command.TraceParent;
        var result = new CommandResultReport(command.CommandId, outcome, detail, traceParent);
        journal.RecordCommandResult(result);
        metrics?.CommandExecuted(outcome);
        LogCompleted(logger, command.CommandId, command.Purpose, command.Compartment, outcome);
        return new CommandExecution(result, IsNewResult: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} is already being executed; the repeat is ignored")]
    private static partial void LogAlreadyExecuting(ILogger logger, Guid commandId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} was executed before; its result {Outcome} is reported again")]
    private static partial void LogExecutedBefore(ILogger logger, Guid commandId, string outcome);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Command {CommandId} for {Compartment} arrived expired (expires {ExpiresAt}, server time {ServerNow}); the lock is not touched")]
    private static partial void LogArrivedExpired(ILogger logger, Guid commandId, string compartment, DateTimeOffset expiresAt, DateTimeOffset serverNow);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lock driver failed opening {Compartment} for command {CommandId}")]
    private static partial void LogDriverFailed(ILogger logger, string compartment, Guid commandId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} ({Purpose}) for {Compartment}: {Outcome}")]
    private static partial void LogCompleted(ILogger logger, Guid commandId, string purpose, string compartment, string outcome);
}

/// <summary>A command's result; <paramref name="IsNewResult"/> is false when it was reproduced from the journal.</summary>
internal sealed record CommandExecution(CommandResultReport Result, bool IsNewResult);
