using BackOffice.Application.Occupancy;

namespace BackOffice.Web.Components.Controls;

/// <summary>
/// Reads one page's <see cref="LiveFeed{T}"/> in the background and hands each newer value to the page (which applies it
/// on its own dispatcher). Disposing cancels the loop, waits for it and ends the feed.
/// </summary>
internal sealed class LiveView<T> : IAsyncDisposable
    where T : class
{
    private readonly CancellationTokenSource _stop = new();
    private readonly LiveFeed<T> _feed;
    private readonly Task _loop;

    private LiveView(LiveFeed<T> feed, Func<T, Task> apply)
    {
        _feed = feed;
        _loop = ReadAsync(apply, _stop.Token);
    }

    /// <param name="feed">From the monitor; <see cref="LiveFeed{T}.Current"/> is what the page shows first.</param>
    /// <param name="apply">Called with each later value (the newest, when several came meanwhile); the page dispatches it.</param>
    public static LiveView<T> Start(LiveFeed<T> feed, Func<T, Task> apply) => new(feed, apply);

    private async Task ReadAsync(Func<T, Task> apply, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var value in _feed.ReadChangesAsync(cancellationToken))
            {
                await apply(value);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _feed.Dispose();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away while the last value was being applied.
        }
        _stop.Dispose();
    }
}
