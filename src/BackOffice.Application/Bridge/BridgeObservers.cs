using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Application.Bridge;

/// <summary>Something that reacts to what happens at a box (a loading waits for its door to close).</summary>
/// <remarks>Implementations re-read what they change and must be safe to call again with the same event.</remarks>
public interface IBridgeObserver
{
    Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken);

    Task DoorChangedAsync(Guid compartmentId, DoorState state, CancellationToken cancellationToken);
}

/// <summary>
/// Hands box events to every <see cref="IBridgeObserver"/> after they were stored (each looks only at the command
/// purposes it owns), then signals a finished command to whoever waits for it (<see cref="CommandOutcomes"/>). Resolves
/// the observers when called, because they themselves issue commands (the services would otherwise depend on each other
/// in a circle).
/// </summary>
/// <remarks>
/// The server's own races (a clerk, the expiry sweep or another event changed the same rows a moment earlier) are
/// retried here: a box's report is never refused because the server was busy with itself.
/// </remarks>
public sealed class BridgeObservers(IServiceProvider services, CommandOutcomes outcomes, TimeProvider timeProvider)
{
    private const int Attempts = 5;

    public async Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        foreach (var observer in services.GetServices<IBridgeObserver>())
        {
            await RetryOnConflictAsync(() => observer.CommandFinishedAsync(command, cancellationToken), cancellationToken);
        }
        // After the observers: a page told "opened" reads the document they moved on.
        outcomes.Finished(command);
    }

    public async Task DoorChangedAsync(Guid compartmentId, DoorState state, CancellationToken cancellationToken)
    {
        foreach (var observer in services.GetServices<IBridgeObserver>())
        {
            await RetryOnConflictAsync(() => observer.DoorChangedAsync(compartmentId, state, cancellationToken), cancellationToken);
        }
    }

    private async Task RetryOnConflictAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // A concurrency token or unique index said someone else was first: read again and decide again.
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), timeProvider, cancellationToken);
            }
        }
    }
}
