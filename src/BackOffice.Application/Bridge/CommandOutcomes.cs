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

    /// <summary>Completes with the finished command. Register before reading the command's state, so no answer slips between.</summary>
    public Task<BridgeCommand> WhenFinished(Guid commandId) =>
        _waiting.GetOrAdd(commandId, _ => new TaskCompletionSource<BridgeCommand>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The waiter gave up or has its answer: nothing is held for the command any more.</summary>
    public void Forget(Guid commandId) => _waiting.TryRemove(commandId, out _);

    internal void Finished(BridgeCommand command)
    {
        if (_waiting.TryRemove(command.Id, out var waiter))
        {
            waiter.TrySetResult(command);
        }
    }

    /// <summary>Commands someone waits for right now (for the tests).</summary>
    public int Waiting => _waiting.Count;
}
