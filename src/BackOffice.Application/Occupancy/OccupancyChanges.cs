using System.Threading.Channels;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Occupancy;

/// <summary>
/// The one input of the <see cref="BoxMonitor"/>: "this compartment or box changed", written by the unit of work after
/// it saved, and by the bridge event service for what it writes around the unit of work (door states, heartbeats).
/// A door state comes with the state itself, which the monitor applies without reading the database again. Separate
/// from the monitor so the database layer can write to it without depending on the monitor.
/// With several app instances (docs/decisions/0025) every change made here is also handed to the relay, which tells the
/// other instances; what they made enters through <see cref="Received"/> and is never relayed again.
/// </summary>
/// <remarks>Singleton; thread-safe; never blocks a writer (the relay must not block either).</remarks>
public sealed class OccupancyChanges
{
    private readonly Channel<OccupancyChange> _channel = Channel.CreateUnbounded<OccupancyChange>(new UnboundedChannelOptions
    {
        SingleReader = true,
    });

    private Action<OccupancyChange>? _relay;

    internal ChannelReader<OccupancyChange> Reader => _channel.Reader;

    public void CompartmentChanged(Guid compartmentId) => Made(new OccupancyChange(null, compartmentId, null));

    public void BoxChanged(Guid boxId) => Made(new OccupancyChange(boxId, null, null));

    /// <summary>The box reported a compartment's door (stored already); the newest report by the box's clock counts.</summary>
    public void DoorReported(Guid compartmentId, DoorState state, DateTimeOffset at) =>
        Made(new OccupancyChange(null, compartmentId, new ReportedDoor(state, at)));

    /// <summary>Hands every change made in this instance to <paramref name="relay"/> too (once, at start).</summary>
    public void RelayTo(Action<OccupancyChange> relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        if (Interlocked.CompareExchange(ref _relay, relay, null) is not null)
        {
            throw new InvalidOperationException("The occupancy changes are relayed already.");
        }
    }

    /// <summary>A change another instance made and announced: for this instance's monitor only.</summary>
    public void Received(OccupancyChange change)
    {
        if (!change.IsEverything)
        {
            _channel.Writer.TryWrite(change);
        }
    }

    /// <summary>
    /// Changes from other instances may have been missed (the channel between them was down, or an instance died between
    /// its commit and its announcement): the monitor reads every box it shows again.
    /// </summary>
    public void Resync() => _channel.Writer.TryWrite(OccupancyChange.Everything);

    /// <summary>The monitor's own poll: each instance polls for itself, so this is not relayed.</summary>
    internal void Polled(Guid boxId) => _channel.Writer.TryWrite(new OccupancyChange(boxId, null, null));

    private void Made(OccupancyChange change)
    {
        _channel.Writer.TryWrite(change);
        _relay?.Invoke(change);
    }
}

/// <summary>A box (its heartbeat, faults, settings) or one compartment changed; for a door report, what the box said.</summary>
public readonly record struct OccupancyChange(Guid? BoxId, Guid? CompartmentId, ReportedDoor? Door)
{
    /// <summary>Neither box nor compartment: read everything again.</summary>
    internal static OccupancyChange Everything => default;

    internal bool IsEverything => BoxId is null && CompartmentId is null;
}

/// <summary>A door state as the box reported it, at the box's time.</summary>
public readonly record struct ReportedDoor(DoorState State, DateTimeOffset At);
