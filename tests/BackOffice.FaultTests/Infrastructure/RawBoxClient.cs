using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using BackOffice.Bridge.Contracts;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// A box bridge as a vendor might write it from docs/bridge-protocol-v1.md alone: SignalR's JSON hub protocol spoken
/// by hand over a WebSocket (handshake, invocations, completions, pings), with the box key as bearer token. It reports
/// each command's result the moment <c>Unlock</c> arrives and never retries; every completion is kept for the test.
/// </summary>
public sealed class RawBoxClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<UnlockCommand> _unlocks = new();
    private readonly ConcurrentQueue<(Guid CommandId, string? Error)> _results = new();
    private Task _receiveLoop = Task.CompletedTask;
    private Task _heartbeatLoop = Task.CompletedTask;
    private int _invocationId;

    public IReadOnlyCollection<UnlockCommand> Unlocks => _unlocks;

    /// <summary>The server's completion of each <c>ReportCommandResult</c>: null error = accepted.</summary>
    public IReadOnlyCollection<(Guid CommandId, string? Error)> Results => _results;

    public static async Task<RawBoxClient> ConnectAsync(Uri server, string boxKey)
    {
        var client = new RawBoxClient();
        client._socket.Options.SetRequestHeader("Authorization", $"Bearer {boxKey}");
        var hub = new UriBuilder(server) { Scheme = "ws", Path = BridgeProtocol.HubPath }.Uri;
        await client._socket.ConnectAsync(hub, CancellationToken.None);
        await client.SendRawAsync("""{"protocol":"json","version":1}""");
        var handshake = await client.ReceiveRecordsAsync();
        if (handshake.Count == 0 || handshake[0].Contains("error", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"SignalR handshake refused: {string.Join(" ", handshake)}");
        }
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        await client.InvokeAsync(BridgeProtocol.ServerMethods.Hello, new HelloRequest("raw-vendor-bridge-1", []));
        await client.InvokeAsync(BridgeProtocol.ServerMethods.ReportHeartbeat, new HeartbeatReport(DateTimeOffset.UtcNow, 0, []));
        client._heartbeatLoop = Task.Run(client.HeartbeatLoopAsync);
        return client;
    }

    public async Task<JsonElement> InvokeAsync(string target, object argument)
    {
        var id = Interlocked.Increment(ref _invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendRawAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments = new[] { argument } }, Json));
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                foreach (var record in await ReceiveRecordsAsync())
                {
                    Handle(record);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed.
        }
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException("Connection closed."));
        }
    }

    private void Handle(string record)
    {
        using var message = JsonDocument.Parse(record);
        var root = message.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1 when root.GetProperty("target").GetString() == BridgeProtocol.ClientMethods.Unlock:
                var command = root.GetProperty("arguments")[0].Deserialize<UnlockCommand>(Json)!;
                _unlocks.Enqueue(command);
                // At once and exactly once, from the receive loop: the result may overtake the server's "delivered" update.
                _ = ReportOnceAsync(command);
                break;
            case 3:
                var id = root.GetProperty("invocationId").GetString()!;
                if (_pending.TryRemove(id, out var completion))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        completion.TrySetException(new InvalidOperationException(error.GetString()));
                    }
                    else
                    {
                        completion.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                    }
                }
                break;
            case 7:
                _stop.Cancel();
                break;
        }
    }

    private async Task ReportOnceAsync(UnlockCommand command)
    {
        try
        {
            await InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(command.CommandId, BridgeProtocol.Outcomes.Opened, null));
            _results.Enqueue((command.CommandId, null));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or WebSocketException)
        {
            _results.Enqueue((command.CommandId, ex.Message));
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token);
                await SendRawAsync("""{"type":6}""");
                _ = InvokeAsync(BridgeProtocol.ServerMethods.ReportHeartbeat, new HeartbeatReport(DateTimeOffset.UtcNow, 0, []))
                    .ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task SendRawAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private readonly StringBuilder _buffer = new();

    /// <summary>Reads one WebSocket message and returns the complete records it finished (a record may span messages).</summary>
    private async Task<List<string>> ReceiveRecordsAsync()
    {
        var chunk = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(chunk, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("Closed by the server.");
            }
            message.Write(chunk, 0, result.Count);
        }
        while (!result.EndOfMessage);
        _buffer.Append(Encoding.UTF8.GetString(message.ToArray()));
        var text = _buffer.ToString();
        var last = text.LastIndexOf(RecordSeparator);
        if (last < 0)
        {
            return [];
        }
        _buffer.Clear().Append(text[(last + 1)..]);
        return text[..last].Split(RecordSeparator).Where(r => r.Length > 0).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Gone already.
        }
        await Task.WhenAny(Task.WhenAll(_receiveLoop, _heartbeatLoop), Task.Delay(2000));
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
