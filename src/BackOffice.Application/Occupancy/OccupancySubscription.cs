using System.Threading.Channels;

namespace BackOffice.Application.Occupancy;

/// <summary>
/// One open dashboard's stream of updates: a bounded channel, so a page that stops reading cannot make the server
/// hold unbounded memory. When it overflows, <see cref="TakeNeedsResync"/> tells the page to start again from a snapshot.
/// </summary>
public sealed class OccupancySubscription : IDisposable
{
    private readonly Action<OccupancySubscription> _unsubscribe;
    private readonly Channel<OccupancyUpdate> _channel;
    private int _needsResync;

    internal OccupancySubscription(Guid? boxId, int capacity, Action<OccupancySubscription> unsubscribe)
    {
        BoxId = boxId;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<OccupancyUpdate>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
    }

    /// <summary>The box this dashboard shows, or null for the overview of all boxes (summaries only, no cells).</summary>
    public Guid? BoxId { get; }

    public ChannelReader<OccupancyUpdate> Updates => _channel.Reader;

    /// <summary>True once an update was dropped because the page fell behind; reading it clears it.</summary>
    public bool TakeNeedsResync() => Interlocked.Exchange(ref _needsResync, 0) == 1;

    internal void Offer(OccupancyUpdate update)
    {
        if (!_channel.Writer.TryWrite(update))
        {
            Interlocked.Exchange(ref _needsResync, 1);
        }
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _unsubscribe(this);
    }
}
