using BackOffice.Application.Abstractions;
using BackOffice.Domain.Boxes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Bridge;

/// <summary>Something that reacts to what happens at a box (a loading waits for its door to close).</summary>
/// <remarks>Implementations re-read what they change and must be safe to call again with the same event.</remarks>
public interface IBridgeObserver
{
    Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken);

    /// <summary>A door moved; <see cref="DoorChange.Activity"/> says whether anything of this observer's is under way there.</summary>
    Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken);
}

/// <summary>
/// Hands box events to every <see cref="IBridgeObserver"/> after they were stored (each looks only at the command
/// purposes it owns, and at a door only when the compartment's <see cref="CompartmentActivity"/>, read once here, names
/// something of its own), then signals a finished command to whoever waits for it (<see cref="CommandOutcomes"/>). Resolves
/// the observers when called, because they themselves issue commands (the services would otherwise depend on each other
/// in a circle).
/// </summary>
/// <remarks>
/// The server's own races (a clerk, the expiry sweep or another event changed the same rows a moment earlier) are
/// retried here: a box's report is never refused because the server was busy with itself.
/// </remarks>
public sealed class BridgeObservers(
    IServiceProvider services,
    IApplicationDbContextFactory contextFactory,
    CommandOutcomes outcomes,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> timing)
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
        CompartmentActivity activity;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            var serviceWindowStart = CompartmentActivity.ServiceWindowStart(timeProvider.GetUtcNow(), timing.Value);
            activity = await CompartmentActivity.ReadAsync(db, compartmentId, serviceWindowStart, cancellationToken);
        }
        var change = new DoorChange(compartmentId, state, activity);
        foreach (var observer in services.GetServices<IBridgeObserver>())
        {
            await RetryOnConflictAsync(() => observer.DoorChangedAsync(change, cancellationToken), cancellationToken);
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
