namespace BackOffice.Web.Bridge;

/// <summary>
/// Which connection holds each box, shared by every app instance (docs/decisions/0025): each new connection of a box
/// gets a higher generation, and every connection of the box with a lower one, on whatever instance, must close.
/// </summary>
/// <remarks>Singleton; thread-safe. <see cref="LocalBridgeDirectory"/> for one instance, <see cref="Scaleout.RedisBridgeDirectory"/> for several.</remarks>
public interface IBridgeDirectory
{
    /// <summary>Raised (on every instance) with a box and a generation: that box's older connections must close.</summary>
    event Action<Guid, long>? Superseded;

    /// <summary>The box is now held by this connection; returns its generation, after announcing it.</summary>
    Task<long> ClaimAsync(Guid boxId, string connectionId, CancellationToken cancellationToken);

    /// <summary>The connection ended: the box is held by nobody, unless a newer connection holds it already.</summary>
    Task ReleaseAsync(Guid boxId, string connectionId, CancellationToken cancellationToken);

    /// <summary>Whether a live connection of the box is held anywhere.</summary>
    Task<bool> IsHeldAsync(Guid boxId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the connection still holds the box (keeping the record alive); false when a newer one took it, also if
    /// the announcement of that was missed.
    /// </summary>
    Task<bool> ConfirmAsync(Guid boxId, string connectionId, CancellationToken cancellationToken);

    /// <summary>Every connection of the box, wherever it is, must close (its key was rotated).</summary>
    Task EvictAsync(Guid boxId, CancellationToken cancellationToken);
}

/// <summary>One app instance: the directory is this process's memory, and an announcement a direct call.</summary>
internal sealed class LocalBridgeDirectory : IBridgeDirectory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, (string ConnectionId, long Generation)> _holders = [];
    private readonly Dictionary<Guid, long> _generations = [];

    public event Action<Guid, long>? Superseded;

    public Task<long> ClaimAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
    {
        long generation;
        lock (_gate)
        {
            generation = _generations[boxId] = _generations.GetValueOrDefault(boxId) + 1;
            _holders[boxId] = (connectionId, generation);
        }
        Superseded?.Invoke(boxId, generation);
        return Task.FromResult(generation);
    }

    public Task ReleaseAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(boxId, out var holder) && holder.ConnectionId == connectionId)
            {
                _holders.Remove(boxId);
            }
        }
        return Task.CompletedTask;
    }

    public Task<bool> IsHeldAsync(Guid boxId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_holders.ContainsKey(boxId));
        }
    }

    public Task<bool> ConfirmAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_holders.TryGetValue(boxId, out var holder) && holder.ConnectionId == connectionId);
        }
    }

    public Task EvictAsync(Guid boxId, CancellationToken cancellationToken)
    {
        long generation;
        lock (_gate)
        {
            generation = _generations[boxId] = _generations.GetValueOrDefault(boxId) + 1;
            _holders.Remove(boxId);
        }
        Superseded?.Invoke(boxId, generation);
        return Task.CompletedTask;
    }
}
