using System.Collections.Concurrent;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Bridge;

/// <summary>
/// The in-process signal that a command finished (the box answered, or the expiry closed it): a page waiting for the
/// box's answer awaits it instead of reading the database every few hundred milliseconds. Raised by
/// <see cref="BridgeObservers"/> once the command's consequences are applied.
/// </summary>
/// <remarks>Singleton; thread-safe. Only commands someone waits for are held, and only while they wait.</remarks>
public sealed class CommandOutcomes
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<BridgeCommand>> _waiting = new();
    private Action<Guid>? _relay;

    /// <summary>
    /// Tells every command finished here to <paramref name="relay"/> as well: with several instances, the page waiting
    /// for it may be on another one (docs/decisions/0025).
    /// </summary>
    public void RelayTo(Action<Guid> relay) => _relay = relay;

    /// <summary>Whether a page on this instance waits for the command.</summary>
    public bool IsWaiting(Guid commandId) => _waiting.ContainsKey(commandId);

    /// <summary>Another instance finished the command: its waiter here gets the command as stored.</summary>
    public async Task FinishedElsewhereAsync(Guid commandId, Func<Guid, Task<BridgeCommand?>> read)
    {
        if (IsWaiting(commandId) && await read(commandId) is { IsFinished: true } command && _waiting.TryRemove(commandId, out var waiter))
        {
            waiter.TrySetResult(command);
        }
    }

    /// <summary>Completes with the finished command. Register before reading the command's state, so no answer slips between.</summary>
    public Task<BridgeCommand> WhenFinished(Guid commandId) =>
        _waiting.GetOrAdd(commandId, _ => new TaskCompletionSource<BridgeCommand>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The waiter gave up or has its answer: nothing is held for the command any more.</summary>
    public void Forget(Guid commandId) => _waiting.TryRemove(commandId, out _);

    internal void Finished(BridgeCommand command)
    {
        _relay?.Invoke(command.Id);
        if (_waiting.TryRemove(command.Id, out var waiter))
        {
            waiter.TrySetResult(command);
        }
    }

    /// <summary>Commands someone waits for right now (for the tests).</summary>
    public int Waiting => _waiting.Count;
}
