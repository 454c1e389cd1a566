using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// A box's connection to the back office hub: SignalR's .NET client over WebSockets straight to the hub path (no
/// negotiate request), the box key as bearer token from <see cref="HttpConnectionOptions.AccessTokenProvider"/>.
/// </summary>
/// <remarks>
/// The WebSocket is opened by <see cref="OpenWebSocketAsync"/> instead of SignalR's default factory only to read the
/// HTTP status of a refused upgrade: the default factory drops it, and a wrong or rotated key (401) must be told apart
/// from an unreachable server (it waits the longest delay and says what to fix).
/// </remarks>
internal static partial class BoxHubConnection
{
    public static HubConnection Create(string serverUrl, string boxKey, TimeSpan keyRejectedRetryDelay, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(boxKey);
        return new HubConnectionBuilder()
            .WithUrl(HubAddress.FromServerUrl(serverUrl), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = () => Task.FromResult<string?>(boxKey);
                options.WebSocketFactory = (context, cancellationToken) =>
                    OpenWebSocketAsync(context, keyRejectedRetryDelay, logger, cancellationToken);
            })
            // The server speaks SignalR's default JSON protocol: camelCase names, ISO 8601 times.
            .AddJsonProtocol(o => o.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
            .Build();
    }

    private static async ValueTask<WebSocket> OpenWebSocketAsync(
        WebSocketConnectionContext context, TimeSpan keyRejectedRetryDelay, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (context.Options.AccessTokenProvider is { } tokens && await tokens().ConfigureAwait(false) is { Length: > 0 } key)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {key}");
        }
        try
        {
            await socket.ConnectAsync(context.Uri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            // Logged here because the caller only sees an attempt that failed.
            LogKeyRejected(logger, (int)status, keyRejectedRetryDelay);
            throw new BoxKeyRejectedException(status, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The back office refused the box key (HTTP {Status}): the key is wrong or was rotated. Set Bridge:BoxKey to this box's current key. Retrying every {Delay}.")]
    private static partial void LogKeyRejected(ILogger logger, int status, TimeSpan delay);
}

/// <summary>The back office refused the box key on the WebSocket upgrade: it is wrong or was rotated.</summary>
public sealed class BoxKeyRejectedException(HttpStatusCode statusCode, Exception innerException)
    : Exception($"The back office refused the box key (HTTP {(int)statusCode}): it is wrong or was rotated.", innerException)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
