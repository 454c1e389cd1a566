using System.Diagnostics;
using BackOffice.Application.Bridge;
using BackOffice.Application.Pickup;
using BackOffice.Application.Telemetry;
using BackOffice.Bridge.Contracts;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BackOffice.Web.Bridge;

/// <summary>
/// Bridge protocol v1 (docs/bridge-protocol-v1.md). Thin on purpose: it names the box from the authenticated key,
/// hands each message to <see cref="BridgeEventService"/>, and turns a refused message into an error for that call
/// only, so the connection and every other box keep working. Two kinds of error (docs/bridge-protocol-v1.md, "Errors"):
/// "Refused:" — the message is wrong and will never be accepted; "Unavailable:" — it could not be processed now and
/// the bridge must send it again.
/// </summary>
[Authorize(Policy = AuthorizationPolicies.Bridge)]
public sealed partial class BoxHub(
    BridgeEventService events, PickupService pickups, BridgeRefusals refusals, BridgeConnections connections,
    BridgeKeyCheck keyCheck, ILogger<BoxHub> logger) : Hub
{
    public override async Task OnConnectedAsync()
    {
        var box = Context.User!.ToBoxIdentity();
        // The box's group: commands reach it through the backplane from any instance (docs/decisions/0025).
        await Groups.AddToGroupAsync(Context.ConnectionId, BridgeConnections.GroupOf(box.Id), Context.ConnectionAborted);
        await connections.RegisterAsync(box.Id, box.Code, Context, Context.ConnectionAborted);
        // Registered first, checked second: a rotation either finds this connection or is seen here.
        try
        {
            if (!await keyCheck.IsCurrentAsync(Context.User!, Context.ConnectionAborted))
            {
                LogKeyRotated(logger, box.Code, Context.ConnectionId);
                Context.Abort();
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unverified is refused: the bridge connects again shortly. Returning (not throwing) lets SignalR run
            // OnDisconnectedAsync, which undoes the registration.
            LogKeyCheckFailed(logger, ex, box.Code);
            Context.Abort();
            return;
        }
        LogConnected(logger, box.Code, Context.ConnectionId);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var box = Context.User!.ToBoxIdentity();
        await connections.UnregisterAsync(box.Id, Context.ConnectionId);
        LogDisconnected(logger, box.Code, Context.ConnectionId);
    }

    public Task<HelloResponse> Hello(HelloRequest hello) =>
        GuardAsync(nameof(Hello), box => events.HelloAsync(box, hello, Context.ConnectionAborted));

    public async Task ReportCommandResult(CommandResultReport result)
    {
        // Same trace as the clerk's click and the bridge's execution: the result names its parent span.
        using var activity = BackOfficeTelemetry.StartContinued("unlock.result", ActivityKind.Consumer, result?.TraceParent);
        activity?.SetTag(BackOfficeTelemetry.CommandIdTag, result?.CommandId.ToString());
        // Only a valid outcome: the text is the box's and not yet checked here.
        if (result?.Outcome is { } outcome && BridgeProtocol.Outcomes.All.Contains(outcome))
        {
            activity?.SetTag(BackOfficeTelemetry.OutcomeTag, outcome);
        }
        await GuardAsync(nameof(ReportCommandResult), box => events.ReportCommandResultAsync(box, result, Context.ConnectionAborted));
    }

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
            // Definitive: the bridge drops the message. Staff see it on the open-operations page, not only in a log.
            LogRefused(logger, method, box.Code, ex.Message);
            await refusals.RecordAsync(box, method, ex.Message);
            throw new HubException($"{BridgeProtocol.Errors.RefusedPrefix} {ex.Message}");
        }
        catch (Exception ex) when (!Context.ConnectionAborted.IsCancellationRequested)
        {
            // Not processed (database gone, timeout, a conflict that did not resolve): the bridge keeps the message
            // and sends it again. Nothing half-done stays: every step commits on its own or repeats harmlessly.
            LogNotProcessed(logger, ex, method, box.Code);
            throw new HubException($"{BridgeProtocol.Errors.UnavailablePrefix} the back office could not process {method} now; send it again.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge of box {Box} connected ({ConnectionId})")]
    private static partial void LogConnected(ILogger logger, string box, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge connection {ConnectionId} of box {Box} closed: its key was rotated while it connected")]
    private static partial void LogKeyRotated(ILogger logger, string box, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the key of box {Box}'s new connection; it is closed and the bridge connects again")]
    private static partial void LogKeyCheckFailed(ILogger logger, Exception exception, string box);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge of box {Box} disconnected ({ConnectionId})")]
    private static partial void LogDisconnected(ILogger logger, string box, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} from box {Box}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string box, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not process {Method} from box {Box}; the bridge will send it again")]
    private static partial void LogNotProcessed(ILogger logger, Exception exception, string method, string box);
}
