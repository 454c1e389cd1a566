using System.Net;
using System.Net.Sockets;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// The box's network line to the back office: a TCP forwarder on loopback between the bridge and the app that a test can
/// cut and restore, so it decides when a bridge gets through again (e.g. only after the app's sweeper expired a command).
/// </summary>
public sealed class NetworkLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _acceptLoop;
    private volatile bool _cut;

    public NetworkLink(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where the bridge connects.</summary>
    public Uri Address { get; }

    /// <summary>Drops every connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient incoming;
            try
            {
                incoming = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_cut)
            {
                incoming.Dispose();
                continue;
            }
            _ = Task.Run(() => ForwardAsync(incoming));
        }
    }

    private async Task ForwardAsync(TcpClient incoming)
    {
        using var outgoing = new TcpClient();
        try
        {
            await outgoing.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            incoming.Dispose(); // the app is down: the bridge sees a refused connection, as over a real line
            return;
        }
        lock (_gate)
        {
            _open.Add(incoming);
            _open.Add(outgoing);
        }
        try
        {
            var a = incoming.GetStream().CopyToAsync(outgoing.GetStream(), _stop.Token);
            var b = outgoing.GetStream().CopyToAsync(incoming.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(incoming);
                _open.Remove(outgoing);
            }
            incoming.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await Task.WhenAny(_acceptLoop, Task.Delay(1000));
        _stop.Dispose();
    }
}
