using BackOffice.Application.Bridge;
using BackOffice.Application.Pickup;
using BackOffice.Bridge.Contracts;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BackOffice.Web.Bridge;

/// <summary>
/// Bridge protocol v1 (docs/bridge-protocol-v1.md). Thin on purpose: it names the box from the authenticated key,
/// hands each message to <see cref="BridgeEventService"/>, and turns a refused message into an error for that call
/// only, so the connection and every other box keep working.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Bridge)]
public sealed partial class BoxHub(
    BridgeEventService events, PickupService pickups, BridgeConnections connections, ILogger<BoxHub> logger) : Hub
{
    public override Task OnConnectedAsync()
    {
        var box = Context.User!.ToBoxIdentity();
        connections.Register(box.Id, box.Code, Context);
        LogConnected(logger, box.Code, Context.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        var box = Context.User!.ToBoxIdentity();
        connections.Unregister(box.Id, Context.ConnectionId);
        LogDisconnected(logger, box.Code, Context.ConnectionId);
        return Task.CompletedTask;
    }

    public Task<HelloResponse> Hello(HelloRequest hello) =>
        GuardAsync(nameof(Hello), box => events.HelloAsync(box, hello, Context.ConnectionAborted));

    public Task ReportCommandResult(CommandResultReport result) =>
        GuardAsync(nameof(ReportCommandResult), box => events.ReportCommandResultAsync(box, result, Context.ConnectionAborted));

    public Task ReportDoor(DoorReport door) =>
        GuardAsync(nameof(ReportDoor), box => events.ReportDoorAsync(box, door, Context.ConnectionAborted));

    public Task<PickupResponse> RequestPickup(PickupRequest request) =>
        GuardAsync(nameof(RequestPickup), box => pickups.RequestAsync(box, request, Context.ConnectionAborted));

    public Task ReportOldDocument(OldDocumentReport report) =>
        GuardAsync(nameof(ReportOldDocument), box => pickups.ReportOldDocumentAsync(box, report, Context.ConnectionAborted));

    public Task ReportHeartbeat(HeartbeatReport heartbeat) =>
        GuardAsync(nameof(ReportHeartbeat), box => events.ReportHeartbeatAsync(box, heartbeat, Context.ConnectionAborted));

    private async Task GuardAsync(string method, Func<BoxIdentity, Task> handle) =>
        await GuardAsync(method, async box =>
        {
            await handle(box);
            return true;
        });

    private async Task<T> GuardAsync<T>(string method, Func<BoxIdentity, Task<T>> handle)
    {
        var box = Context.User!.ToBoxIdentity();
        try
        {
            return await handle(box);
        }
        catch (BridgeProtocolException ex)
        {
            LogRefused(logger, method, box.Code, ex.Message);
            throw new HubException($"Refused: {ex.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge of box {Box} connected ({ConnectionId})")]
    private static partial void LogConnected(ILogger logger, string box, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge of box {Box} disconnected ({ConnectionId})")]
    private static partial void LogDisconnected(ILogger logger, string box, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} from box {Box}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string box, string reason);
}
