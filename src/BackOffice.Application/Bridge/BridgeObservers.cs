using BackOffice.Domain.Boxes;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Application.Bridge;

/// <summary>Something that reacts to what happens at a box (a loading waits for its door to close).</summary>
public interface IBridgeObserver
{
    Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken);

    Task DoorChangedAsync(Guid compartmentId, DoorState state, CancellationToken cancellationToken);
}

/// <summary>
/// Hands box events to every <see cref="IBridgeObserver"/> after they were stored. Resolves them when called, because
/// the observers themselves issue commands (the services would otherwise depend on each other in a circle).
/// </summary>
public sealed class BridgeObservers(IServiceProvider services)
{
    public async Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        foreach (var observer in services.GetServices<IBridgeObserver>())
        {
            await observer.CommandFinishedAsync(command, cancellationToken);
        }
    }

    public async Task DoorChangedAsync(Guid compartmentId, DoorState state, CancellationToken cancellationToken)
    {
        foreach (var observer in services.GetServices<IBridgeObserver>())
        {
            await observer.DoorChangedAsync(compartmentId, state, cancellationToken);
        }
    }
}
