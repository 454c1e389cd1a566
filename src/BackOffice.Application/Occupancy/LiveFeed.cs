using System.Threading.Channels;

namespace BackOffice.Application.Occupancy;

/// <summary>
/// A live value for one reader (an open page): what it is now, and every later value as it comes, from one call so
/// nothing between the two is missed. The values are immutable and shared by every reader; a reader that falls behind
/// skips to the newest (a bounded channel of one, oldest dropped), so a page that stops reading holds one value, and
/// one that catches up shows the truth of now rather than a backlog.
/// </summary>
public sealed class LiveFeed<T> : IDisposable
    where T : class
{
    private readonly Channel<T> _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private readonly Action<LiveFeed<T>>? _stop;

    /// <param name="current">The value when the reader started.</param>
    /// <param name="stop">Called once when the reader disposes the feed (the producer forgets it).</param>
    public LiveFeed(T current, Action<LiveFeed<T>>? stop)
    {
        Current = current;
        _stop = stop;
    }

    /// <summary>The value when the reader started (not updated: read <see cref="ReadChangesAsync"/> for later ones).</summary>
    public T Current { get; }

    /// <summary>Later values, newest only when several came since the last read; ends when the feed is disposed.</summary>
    public IAsyncEnumerable<T> ReadChangesAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>True once the feed ended.</summary>
    public bool Ended => _channel.Reader.Completion.IsCompleted;

    /// <summary>The producer's side: hands the reader a newer value.</summary>
    public void Publish(T value) => _channel.Writer.TryWrite(value);

    public void Dispose()
    {
        if (_channel.Writer.TryComplete())
        {
            _stop?.Invoke(this);
        }
    }
}
