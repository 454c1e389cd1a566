using BackOffice.Application.Occupancy;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>
/// Reads one page's subscription in the background and hands each batch of updates to the page on its own
/// dispatcher (one render per batch). Disposing cancels the loop, waits for it and ends the subscription.
/// </summary>
internal sealed class OccupancyFeed : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly OccupancySubscription _subscription;
    private readonly Task _loop;

    private OccupancyFeed(OccupancySubscription subscription, Func<IReadOnlyList<OccupancyUpdate>, bool, Task> apply)
    {
        _subscription = subscription;
        _loop = ReadAsync(apply, _stop.Token);
    }

    /// <summary>Subscribe before taking the snapshot, so nothing between the two is missed.</summary>
    /// <param name="subscription">From <see cref="BoxMonitor.Subscribe"/>.</param>
    /// <param name="apply">Called on the page's dispatcher with the updates since the last call, and whether the page
    /// fell behind and must reload its snapshot.</param>
    public static OccupancyFeed Start(OccupancySubscription subscription, Func<IReadOnlyList<OccupancyUpdate>, bool, Task> apply) =>
        new(subscription, apply);

    private async Task ReadAsync(Func<IReadOnlyList<OccupancyUpdate>, bool, Task> apply, CancellationToken cancellationToken)
    {
        var reader = _subscription.Updates;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                var batch = new List<OccupancyUpdate>();
                while (reader.TryRead(out var update))
                {
                    batch.Add(update);
                }
                await apply(batch, _subscription.TakeNeedsResync());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _subscription.Dispose();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away while the last batch was being applied.
        }
        _stop.Dispose();
    }
}
