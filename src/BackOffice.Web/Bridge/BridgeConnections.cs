using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace BackOffice.Web.Bridge;

/// <summary>
/// The one live connection of each box. A second connection of the same box replaces the first (the old one is
/// aborted), so commands always go to the bridge that connected last.
/// </summary>
/// <remarks>Singleton; thread-safe.</remarks>
public sealed partial class BridgeConnections(IHubContext<BoxHub> hub, ILogger<BridgeConnections> logger) : IBridgeDispatcher
{
    private readonly ConcurrentDictionary<Guid, HubCallerContext> _byBox = new();

    public void Register(Guid boxId, string boxCode, HubCallerContext connection)
    {
        HubCallerContext? replaced = null;
        _byBox.AddOrUpdate(boxId, connection, (_, existing) =>
        {
            replaced = existing;
            return connection;
        });
        if (replaced is not null && replaced.ConnectionId != connection.ConnectionId)
        {
            LogReplaced(logger, boxCode);
            replaced.Abort();
        }
    }

    public void Unregister(Guid boxId, string connectionId)
    {
        // Only if it is still the current one: a replaced connection closing late must not remove its successor.
        if (_byBox.TryGetValue(boxId, out var current) && current.ConnectionId == connectionId)
        {
            _byBox.TryRemove(new KeyValuePair<Guid, HubCallerContext>(boxId, current));
        }
    }

    public bool IsConnected(Guid boxId) => _byBox.ContainsKey(boxId);

    public async Task<bool> TrySendUnlockAsync(Guid boxId, UnlockCommand command, CancellationToken cancellationToken)
    {
        if (!_byBox.TryGetValue(boxId, out var connection))
        {
            return false;
        }
        try
        {
            await hub.Clients.Client(connection.ConnectionId).SendAsync(BridgeProtocol.ClientMethods.Unlock, command, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(logger, command.CommandId, ex);
            return false;
        }
    }

    public void Disconnect(Guid boxId)
    {
        if (_byBox.TryRemove(boxId, out var connection))
        {
            connection.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Box {Box} connected again; the previous bridge connection is closed")]
    private static partial void LogReplaced(ILogger logger, string box);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock command {CommandId} could not be sent; it stays pending for the next Hello")]
    private static partial void LogSendFailed(ILogger logger, Guid commandId, Exception exception);
}
