using System.IO.Ports;
using System.Net.Sockets;

namespace BackOffice.Bridge.Modbus;

/// <summary>Sends one request PDU to a unit and returns its response PDU; one exchange at a time.</summary>
public interface IModbusTransport : IAsyncDisposable
{
    /// <summary>
    /// Throws <see cref="ModbusCommunicationException"/> when no valid answer came within the response timeout. The
    /// request may or may not have reached the device then; it is never sent again by the transport.
    /// </summary>
    Task<byte[]> ExchangeAsync(byte unit, byte[] pdu, CancellationToken cancellationToken);
}

/// <summary>
/// Modbus TCP: one connection, opened on demand. Any failure (timeout, bad frame, reset) ends the connection with a
/// reset: what our side has not yet delivered (a cut cable) is dropped instead of arriving late, and no stale answer
/// can be mistaken for the next one. A request the device's network stack already took is beyond reach: a device that
/// hung then executes it when it wakes (the driver therefore sends an ON only right after an answer).
/// </summary>
public sealed class ModbusTcpTransport(string host, int port, TimeSpan responseTimeout, TimeProvider timeProvider) : IModbusTransport
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Socket? _socket;
    private NetworkStream? _stream;
    private ushort _transactionId;

    public async Task<byte[]> ExchangeAsync(byte unit, byte[] pdu, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(responseTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var stream = await ConnectAsync(linked.Token).ConfigureAwait(false);
                var id = unchecked(++_transactionId);
                await stream.WriteAsync(ModbusTcpFrame.Encode(id, unit, pdu), linked.Token).ConfigureAwait(false);
                var header = new byte[ModbusTcpFrame.HeaderLength];
                await stream.ReadExactlyAsync(header, linked.Token).ConfigureAwait(false);
                var length = ModbusTcpFrame.CheckHeader(header, id, unit);
                var response = new byte[length];
                await stream.ReadExactlyAsync(response, linked.Token).ConfigureAwait(false);
                return response;
            }
            catch (Exception ex) when (ex is SocketException or IOException or ModbusFrameException or ObjectDisposedException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                Abort();
                throw new ModbusCommunicationException(ex is OperationCanceledException
                    ? $"No answer from {host}:{port} within {responseTimeout.TotalMilliseconds:0} ms."
                    : $"Modbus TCP {host}:{port}: {ex.Message}", ex);
            }
            catch (OperationCanceledException)
            {
                Abort(); // The caller gave up mid-exchange: the connection's state is unknown.
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Abort();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<NetworkStream> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null)
        {
            return _stream;
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        return _stream;
    }

    private void Abort()
    {
        if (_socket is { } socket)
        {
            try
            {
                // Linger 0: close with a reset, discarding what is still unsent or unread on either side.
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
                // Already dead.
            }
            _stream?.Dispose();
            socket.Dispose();
        }
        _socket = null;
        _stream = null;
    }
}

/// <summary>
/// Modbus RTU on a serial line (RS-485). The line is opened on demand and kept; after a failure, whatever arrives late
/// is thrown away before the next request, so a late answer is never taken for the next one's.
/// </summary>
public sealed class ModbusRtuTransport(ModbusRtuLine line, TimeSpan responseTimeout, TimeProvider timeProvider) : IModbusTransport
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SerialPort? _port;
    private Stream? _stream;
    private bool _dirty;

    public async Task<byte[]> ExchangeAsync(byte unit, byte[] pdu, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(responseTimeout, timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                var stream = Open();
                if (_dirty)
                {
                    // The standard's 3.5 character silence marks a frame's end; after a broken exchange wait well past it
                    // and drop the rest of the broken answer.
                    await Task.Delay(line.SilenceAfterError, timeProvider, linked.Token).ConfigureAwait(false);
                    _port?.DiscardInBuffer();
                    _dirty = false;
                }
                await stream.WriteAsync(ModbusRtuFrame.Encode(unit, pdu), linked.Token).ConfigureAwait(false);
                var head = new byte[3];
                await stream.ReadExactlyAsync(head, linked.Token).ConfigureAwait(false);
                var length = ModbusRtuFrame.ResponseLength(head)
                    ?? throw new ModbusFrameException($"Unknown function {head[1]} in the answer.");
                var frame = new byte[length];
                head.CopyTo(frame, 0);
                await stream.ReadExactlyAsync(frame.AsMemory(3), linked.Token).ConfigureAwait(false);
                return ModbusRtuFrame.Decode(frame, unit).ToArray();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ModbusFrameException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _dirty = true;
                if (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    Close(); // The port itself failed (adapter unplugged): open it again next time.
                }
                throw new ModbusCommunicationException(ex is OperationCanceledException
                    ? $"No answer from unit {unit} on {line.PortName} within {responseTimeout.TotalMilliseconds:0} ms."
                    : $"Modbus RTU {line.PortName}: {ex.Message}", ex);
            }
            catch (OperationCanceledException)
            {
                _dirty = true;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Close();
        }
        finally
        {
            _gate.Release();
        }
    }

    private Stream Open()
    {
        if (_stream is not null)
        {
            return _stream;
        }
        var port = new SerialPort(line.PortName, line.BaudRate, line.Parity, 8, line.StopBits);
        try
        {
            port.Open();
            port.DiscardInBuffer();
        }
        catch
        {
            port.Dispose();
            throw;
        }
        _port = port;
        _stream = port.BaseStream;
        return _stream;
    }

    private void Close()
    {
        try
        {
            _port?.Dispose();
        }
        catch (IOException)
        {
            // Closing a vanished device.
        }
        _port = null;
        _stream = null;
    }
}

/// <summary>Serial line settings of an RTU bus (8 data bits always, as the standard requires).</summary>
public sealed record ModbusRtuLine(string PortName, int BaudRate, Parity Parity, StopBits StopBits)
{
    /// <summary>Well over 3.5 characters at any usual baud rate.</summary>
    public TimeSpan SilenceAfterError { get; init; } = TimeSpan.FromMilliseconds(50);
}
