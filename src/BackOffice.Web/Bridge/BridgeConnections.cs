using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace BackOffice.Web.Bridge;

/// <summary>
/// The box connections of this instance, and commands to a box wherever its bridge is connected (docs/decisions/0025).
/// Each connection joins its box's group; an unlock goes to that group, which the backplane carries to the instance
/// holding it. The <see cref="IBridgeDirectory"/> records which connection holds a box across instances: a second
/// connection of the same box replaces the first (the first is aborted, on whatever instance), and a command to a box
/// nobody holds is "not delivered" (it stays pending for the next Hello).
/// </summary>
/// <remarks>Singleton; thread-safe.</remarks>
public sealed partial class BridgeConnections : IBridgeDispatcher, IDisposable
{
    private readonly IHubContext<BoxHub> _hub;
    private readonly IBridgeDirectory _directory;
    private readonly ILogger<BridgeConnections> _logger;
    private readonly ConcurrentDictionary<Guid, Held> _local = new();
    // The highest generation announced per box: a claim that returns after a newer one was announced lost already.
    private readonly ConcurrentDictionary<Guid, long> _newest = new();

    public BridgeConnections(IHubContext<BoxHub> hub, IBridgeDirectory directory, ILogger<BridgeConnections> logger)
    {
        _hub = hub;
        _directory = directory;
        _logger = logger;
        _directory.Superseded += OnSuperseded;
    }

    /// <summary>The SignalR group of a box's bridge connection.</summary>
    public static string GroupOf(Guid boxId) => $"box:{boxId:N}";

    /// <summary>Box connections held by this instance (for the tests).</summary>
    public int LocalCount => _local.Count;

    internal async Task RegisterAsync(Guid boxId, string boxCode, HubCallerContext connection, CancellationToken cancellationToken)
    {
        var generation = 0L;
        try
        {
            generation = await _directory.ClaimAsync(boxId, connection.ConnectionId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The box keeps its connection (pickups at the box need no other instance); the check claims it again.
            LogClaimFailed(_logger, ex, boxCode);
        }
        var held = new Held(connection, boxCode, generation);
        Held? loser = null;
        _local.AddOrUpdate(boxId, held, (_, existing) =>
        {
            // Two connections of the box on this instance: the one with the newer claim stays.
            if (generation > 0 && existing.Generation > generation)
            {
                loser = held;
                return existing;
            }
            loser = existing;
            return held;
        });
        if (loser is not null && loser.Connection.ConnectionId != connection.ConnectionId)
        {
            LogReplaced(_logger, boxCode, loser.Connection.ConnectionId, "the box connected again");
            loser.Connection.Abort();
        }
        if (generation > 0 && _newest.GetValueOrDefault(boxId) > generation)
        {
            Drop(boxId, held, "a newer connection of the box claimed it meanwhile");
        }
    }

    internal async Task UnregisterAsync(Guid boxId, string connectionId)
    {
        // Only if it is still the current one: a replaced connection closing late must not remove its successor.
        if (_local.TryGetValue(boxId, out var current) && current.Connection.ConnectionId == connectionId)
        {
            _local.TryRemove(new KeyValuePair<Guid, Held>(boxId, current));
        }
        try
        {
            await _directory.ReleaseAsync(boxId, connectionId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The record expires on its own (or the next connection of the box overwrites it).
            LogReleaseFailed(_logger, ex, boxId);
        }
    }

    public async Task<bool> TrySendUnlockAsync(Guid boxId, UnlockCommand command, CancellationToken cancellationToken)
    {
        try
        {
            // A group send cannot tell whether anyone is in the group: whether anyone holds the box is asked first.
            if (!await _directory.IsHeldAsync(boxId, cancellationToken))
            {
                return false;
            }
            await _hub.Clients.Group(GroupOf(boxId)).SendAsync(BridgeProtocol.ClientMethods.Unlock, command, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(_logger, command.CommandId, ex);
            return false;
        }
    }

    public async Task DisconnectAsync(Guid boxId, CancellationToken cancellationToken)
    {
        try
        {
            await _directory.EvictAsync(boxId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEvictFailed(_logger, ex, boxId);
        }
        // Here at least, also when the other instances could not be told.
        if (_local.TryRemove(boxId, out var held))
        {
            held.Connection.Abort();
        }
    }

    /// <summary>
    /// Asks the directory whether each connection here still holds its box (which also keeps the record alive), claims
    /// the box for a connection whose claim failed, and closes a connection that lost its box although the
    /// announcement of that never came.
    /// </summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var (boxId, held) in _local)
        {
            try
            {
                if (held.Generation == 0)
                {
                    var generation = await _directory.ClaimAsync(boxId, held.Connection.ConnectionId, cancellationToken);
                    _local.TryUpdate(boxId, held with { Generation = generation }, held);
                }
                else if (!await _directory.ConfirmAsync(boxId, held.Connection.ConnectionId, cancellationToken))
                {
                    Drop(boxId, held, "another connection of the box holds it");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckFailed(_logger, ex, held.BoxCode);
            }
        }
    }

    private void OnSuperseded(Guid boxId, long generation)
    {
        _newest.AddOrUpdate(boxId, generation, (_, known) => Math.Max(known, generation));
        if (_local.TryGetValue(boxId, out var held) && held.Generation < generation)
        {
            Drop(boxId, held, "the box connected again");
        }
    }

    private void Drop(Guid boxId, Held held, string why)
    {
        if (_local.TryRemove(new KeyValuePair<Guid, Held>(boxId, held)))
        {
            LogReplaced(_logger, held.BoxCode, held.Connection.ConnectionId, why);
            held.Connection.Abort();
        }
    }

    public void Dispose() => _directory.Superseded -= OnSuperseded;

    private sealed record Held(HubCallerContext Connection, string BoxCode, long Generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge connection {ConnectionId} of box {Box} is closed: {Why}")]
    private static partial void LogReplaced(ILogger logger, string box, string connectionId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock command {CommandId} could not be sent; it stays pending for the next Hello")]
    private static partial void LogSendFailed(ILogger logger, Guid commandId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection of box {Box} could not be recorded for the other instances; retried shortly")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, string box);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The end of a connection of box {BoxId} could not be recorded; the record expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, Guid boxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The other instances could not be told to close the connection of box {BoxId}")]
    private static partial void LogEvictFailed(ILogger logger, Exception exception, Guid boxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the connection of box {Box} against the other instances")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string box);
}

/// <summary>Runs <see cref="BridgeConnections.CheckAsync"/> every few seconds.</summary>
internal sealed class BridgeConnectionCheck(BridgeConnections connections, TimeProvider timeProvider) : BackgroundService
{
    /// <summary>A third of the directory record's lifetime, so a live connection's record never expires.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await connections.CheckAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
