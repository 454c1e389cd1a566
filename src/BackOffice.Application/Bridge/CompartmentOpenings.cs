using BackOffice.Application.Common;
using BackOffice.Application.Overdue;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Bridge;

/// <summary>What became of an opening staff asked for: refused before anything moved, or the command as the box (or the expiry) finished it.</summary>
public sealed record OpeningResult(Refusal? Refusal, BridgeCommand? Command)
{
    public bool Opened => Command is { Status: CommandStatus.Opened };
}

/// <summary>
/// Staff open a compartment and wait for the box's answer: a service opening (reason mandatory, audited) or a retrieval
/// to the counter. The one way a page unlocks and waits, so every page refuses, reports "sent" and reads the box's
/// answer alike.
/// </summary>
/// <remarks>Singleton. Waiting holds no database context: it awaits the in-process signal of the box's answer (<see cref="CommandOutcomes"/>).</remarks>
public sealed class CompartmentOpenings(BridgeCommandService commands, DocumentRetrieval retrieval)
{
    /// <summary>A service opening of any compartment (also one out of service); <paramref name="sent"/> runs once the command is on its way.</summary>
    public Task<OpeningResult> ServiceOpenAsync(
        Guid compartmentId, string reason, string actor, Action? sent = null, CancellationToken cancellationToken = default) =>
        RunAsync(async token =>
        {
            var issue = await commands.IssueUnlockAsync(compartmentId, CommandPurpose.Service, actor, token, reason: reason);
            return (issue.CommandId, issue.ToRefusal());
        }, sent, cancellationToken);

    /// <summary>Opens the compartment to take its documents back to the counter (<see cref="DocumentRetrieval"/>).</summary>
    public Task<OpeningResult> RetrieveAsync(Guid compartmentId, string actor, Action? sent = null, CancellationToken cancellationToken = default) =>
        RunAsync(async token =>
        {
            var start = await retrieval.StartAsync(compartmentId, actor, token);
            return (start.CommandId, start.Refusal);
        }, sent, cancellationToken);

    private async Task<OpeningResult> RunAsync(
        Func<CancellationToken, Task<(Guid? CommandId, Refusal? Refusal)>> start, Action? sent, CancellationToken cancellationToken)
    {
        var (commandId, refusal) = await start(cancellationToken);
        if (commandId is not { } id)
        {
            return new OpeningResult(refusal ?? new Refusal(RefusalCode.CompartmentCannotOpen), null);
        }
        sent?.Invoke();
        return new OpeningResult(null, await commands.WaitForOutcomeAsync(id, cancellationToken));
    }
}
