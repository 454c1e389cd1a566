using System.Threading.Channels;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Occupancy;

/// <summary>
/// The one input of the <see cref="BoxMonitor"/>: "this compartment or box changed", written by the unit of work after
/// it saved, and by the bridge event service for what it writes around the unit of work (door states, heartbeats).
/// A door state comes with the state itself, which the monitor applies without reading the database again. Separate
/// from the monitor so the database layer can write to it without depending on the monitor.
/// </summary>
/// <remarks>Singleton; thread-safe; never blocks a writer.</remarks>
public sealed class OccupancyChanges
{
    private readonly Channel<OccupancyChange> _channel = Channel.CreateUnbounded<OccupancyChange>(new UnboundedChannelOptions
    {
        SingleReader = true,
    });

    internal ChannelReader<OccupancyChange> Reader => _channel.Reader;

    public void CompartmentChanged(Guid compartmentId) => _channel.Writer.TryWrite(new OccupancyChange(null, compartmentId, null));

    public void BoxChanged(Guid boxId) => _channel.Writer.TryWrite(new OccupancyChange(boxId, null, null));

    /// <summary>The box reported a compartment's door (stored already); the newest report by the box's clock counts.</summary>
    public void DoorReported(Guid compartmentId, DoorState state, DateTimeOffset at) =>
        _channel.Writer.TryWrite(new OccupancyChange(null, compartmentId, new ReportedDoor(state, at)));
}

/// <summary>A box (its heartbeat, faults, settings) or one compartment changed; for a door report, what the box said.</summary>
internal readonly record struct OccupancyChange(Guid? BoxId, Guid? CompartmentId, ReportedDoor? Door);

/// <summary>A door state as the box reported it, at the box's time.</summary>
internal readonly record struct ReportedDoor(DoorState State, DateTimeOffset At);
