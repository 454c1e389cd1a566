using System.Threading.Channels;

namespace BackOffice.Application.Occupancy;

/// <summary>
/// The feed of "something about this compartment or box changed", written by the unit of work after it saved (and by
/// the bridge observers), read by <see cref="BoxMonitor"/>. Separate from the monitor so the database layer can write
/// to it without depending on the monitor (which itself reads the database).
/// </summary>
/// <remarks>Singleton; thread-safe; never blocks a writer.</remarks>
public sealed class OccupancyChanges
{
    private readonly Channel<OccupancyChange> _channel = Channel.CreateUnbounded<OccupancyChange>(new UnboundedChannelOptions
    {
        SingleReader = true,
    });

    internal ChannelReader<OccupancyChange> Reader => _channel.Reader;

    public void CompartmentChanged(Guid compartmentId) => _channel.Writer.TryWrite(new OccupancyChange(null, compartmentId));

    public void BoxChanged(Guid boxId) => _channel.Writer.TryWrite(new OccupancyChange(boxId, null));
}

/// <summary>A box (its heartbeat, faults, settings) or one compartment changed.</summary>
internal readonly record struct OccupancyChange(Guid? BoxId, Guid? CompartmentId);
