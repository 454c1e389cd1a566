using BackOffice.Bridge.Contracts;

namespace BackOffice.Bridge.Journal;

/// <summary>
/// The commands this box executed (or started executing), so a command the server sends again never opens a door
/// twice; and the claims of commands executing right now.
/// </summary>
/// <remarks>Not thread-safe: <see cref="BridgeJournal"/> serializes access.</remarks>
internal sealed class ExecutedCommands
{
    private readonly Dictionary<Guid, ExecutedCommand> _commands = [];
    private readonly HashSet<Guid> _claimed = [];

    public int Count => _commands.Count;

    /// <summary>Started but without a result: the bridge died while the lock was working.</summary>
    public IEnumerable<Guid> Interrupted => _commands.Where(c => c.Value.Result is null).Select(c => c.Key).ToList();

    public CommandClaim Claim(Guid commandId, out CommandResultReport? recorded)
    {
        recorded = null;
        if (_commands.TryGetValue(commandId, out var known))
        {
            recorded = known.Result;
            return known.Result is null ? CommandClaim.InProgress : CommandClaim.Completed;
        }
        return _claimed.Add(commandId) ? CommandClaim.New : CommandClaim.InProgress;
    }

    public void ReleaseClaim(Guid commandId) => _claimed.Remove(commandId);

    /// <summary>Started: from now on it counts as executed. A start read after a result (older file order) changes nothing.</summary>
    public void Started(Guid commandId, DateTimeOffset at) => _commands.TryAdd(commandId, new ExecutedCommand(at, null));

    public void Completed(Guid commandId, CommandResultReport result, DateTimeOffset at)
    {
        _commands[commandId] = new ExecutedCommand(at, result);
        _claimed.Remove(commandId);
    }

    public DateTimeOffset? ExecutedAt(Guid commandId) => _commands.TryGetValue(commandId, out var known) ? known.At : null;

    /// <summary>Forgets completed commands executed before <paramref name="cutoff"/>, except those in <paramref name="keep"/>.</summary>
    public void Forget(DateTimeOffset cutoff, IReadOnlySet<Guid> keep)
    {
        foreach (var expired in _commands.Where(c => c.Value.At < cutoff && c.Value.Result is not null && !keep.Contains(c.Key)).Select(c => c.Key).ToList())
        {
            _commands.Remove(expired);
        }
    }

    /// <summary>The lines that restore this set, oldest first.</summary>
    public IEnumerable<JournalLine> ToLines() =>
        _commands.OrderBy(c => c.Value.At).Select(c => c.Value.Result is null
            ? (JournalLine)new CommandStartedLine(c.Key, c.Value.At)
            : new CommandExecutedLine(c.Key, c.Value.At, c.Value.Result));

    private sealed record ExecutedCommand(DateTimeOffset At, CommandResultReport? Result);
}
