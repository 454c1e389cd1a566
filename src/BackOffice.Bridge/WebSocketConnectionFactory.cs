using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// Opens the hub connection as a plain WebSocket straight to the hub path (no negotiate request), with the box key
/// as bearer token. Stands in for the WebSocket transport of Microsoft.AspNetCore.SignalR.Client, which the feed lacks.
/// </summary>
internal sealed class WebSocketConnectionFactory(string boxKey, TimeSpan keyRejectedRetryDelay, ILogger logger) : IConnectionFactory
{
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UriEndPoint { Uri: var uri })
        {
            throw new NotSupportedException($"Only {nameof(UriEndPoint)} is supported.");
        }

        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {boxKey}");
        socket.Options.CollectHttpResponseDetails = true; // to tell a refused key (401) from an unreachable server
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            // Reported here because the hub connection's own reconnect loop does not surface its failures.
            logger.LogError("The back office refused the box key (HTTP {Status}): the key is wrong or was rotated. Set Bridge:BoxKey to this box's current key. Retrying every {Delay}.",
                (int)status, keyRejectedRetryDelay);
            throw new BoxKeyRejectedException(status, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        logger.LogDebug("WebSocket to {Uri} open.", uri);
        var connection = new WebSocketConnection(socket, uri, logger);
        connection.Start();
        return connection;
    }
}

/// <summary>The back office refused the box key on the WebSocket upgrade: it is wrong or was rotated.</summary>
public sealed class BoxKeyRejectedException(HttpStatusCode statusCode, Exception innerException)
    : Exception($"The back office refused the box key (HTTP {(int)statusCode}): it is wrong or was rotated.", innerException)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}

/// <summary>
/// One WebSocket as a <see cref="ConnectionContext"/>: two pipes and two pumps. Socket messages are written to the
/// input pipe as they come; whatever the hub connection writes to the output pipe is sent as Text messages. The JSON
/// hub protocol frames its own records (0x1e), so bytes pass through unchanged.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly ILogger _logger;
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _receiveCancellation = new();
    private readonly CancellationTokenSource _closed = new();
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;
    private int _disposed;

    public WebSocketConnection(ClientWebSocket socket, Uri uri, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        ConnectionId = Guid.NewGuid().ToString("N");
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        RemoteEndPoint = new UriEndPoint(uri);
        ConnectionClosed = _closed.Token;
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public void Start()
    {
        _receiving = Task.Run(ReceiveLoopAsync);
        _sending = Task.Run(SendLoopAsync);
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _logger.LogDebug(abortReason, "WebSocket connection aborted.");
        _socket.Abort();
        TryCancel(_receiveCancellation);
        _output.Reader.CancelPendingRead();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        // Let the send pump deliver what the hub connection wrote last (its close message), then close the socket.
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        await WaitQuietlyAsync(_sending).ConfigureAwait(false);
        await WaitQuietlyAsync(_receiving).ConfigureAwait(false);
        TryCancel(_receiveCancellation);
        _socket.Abort();
        await WaitQuietlyAsync(_receiving).ConfigureAwait(false);
        _socket.Dispose();
        await _input.Reader.CompleteAsync().ConfigureAwait(false);
    }

    private static async Task WaitQuietlyAsync(Task task)
    {
        try
        {
            // Real time on purpose: this bounds socket shutdown, not anything the box's clock governs.
            await task.WaitAsync(CloseTimeout).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ending anyway; the pumps log their own failures.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        try
        {
            var token = _receiveCancellation.Token;
            while (true)
            {
                var memory = _input.Writer.GetMemory(4096);
                var received = await _socket.ReceiveAsync(memory, token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    _logger.LogDebug("Server closed the WebSocket ({Status} {Description}).", _socket.CloseStatus, _socket.CloseStatusDescription);
                    break;
                }
                _input.Writer.Advance(received.Count);
                var flushed = await _input.Writer.FlushAsync(token).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_receiveCancellation.IsCancellationRequested)
        {
            // Closed by us.
        }
        catch (Exception ex)
        {
            error = ex;
            _logger.LogDebug(ex, "WebSocket receive failed.");
        }
        finally
        {
            // Completing the input tells the hub connection the connection is gone, which starts its reconnect.
            await _input.Writer.CompleteAsync(error).ConfigureAwait(false);
            _output.Reader.CancelPendingRead();
            TryCancel(_closed);
        }
    }

    private async Task SendLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _output.Reader.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                try
                {
                    if (read.IsCanceled)
                    {
                        break;
                    }
                    if (!buffer.IsEmpty)
                    {
                        await SendAsync(buffer).ConfigureAwait(false);
                    }
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
                finally
                {
                    _output.Reader.AdvanceTo(buffer.End);
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
            _logger.LogDebug(ex, "WebSocket send failed.");
            _socket.Abort(); // ends the receive pump too, so the hub connection notices
        }
        finally
        {
            await _output.Reader.CompleteAsync(error).ConfigureAwait(false);
            await CloseOutputQuietlyAsync().ConfigureAwait(false);
        }
    }

    private async Task SendAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            await _socket.SendAsync(buffer.First, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        // One message in several frames; the message as a whole is valid UTF-8 even if a segment boundary splits a character.
        var position = buffer.Start;
        var hasCurrent = buffer.TryGet(ref position, out var current);
        while (hasCurrent)
        {
            var hasNext = buffer.TryGet(ref position, out var next);
            await _socket.SendAsync(current, WebSocketMessageType.Text, endOfMessage: !hasNext, CancellationToken.None).ConfigureAwait(false);
            current = next;
            hasCurrent = hasNext;
        }
    }

    private async Task CloseOutputQuietlyAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "WebSocket close failed.");
        }
    }

    private static void TryCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
