using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>
/// The connection to the back office and the protocol's rule for every (re)connect: connect, say Hello, take the
/// server's clock, hand the pending commands to the <see cref="CommandDispatcher"/>, then go live. One loop does all
/// (re)connecting with <see cref="ReconnectBackoff"/>; SignalR's automatic reconnect is not used, so there is exactly
/// one path back after a lost connection, a refused Hello or a failed first connect.
/// </summary>
/// <remarks>
/// Singleton. <see cref="SessionStarted"/> is raised on the loop's thread; handlers must not block.
/// <see cref="LiveConnection"/> may be used from any thread; a call on it can still fail if the connection drops meanwhile.
/// </remarks>
internal sealed partial class BridgeSession : BackgroundService, IAsyncDisposable
{
    // Real time on purpose: bounds how long disposal waits for the loop.
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(5);

    private readonly BridgeOptions _options;
    private readonly ILockDriver _lockDriver;
    private readonly CommandDispatcher _dispatcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BridgeSession> _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly HubConnection _connection;
    private readonly Uri _hubUri;
    private readonly TaskCompletionSource _firstSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _live;

    public BridgeSession(IOptions<BridgeOptions> options, ILockDriver lockDriver, CommandDispatcher dispatcher, TimeProvider timeProvider, ILogger<BridgeSession> logger)
    {
        _options = options.Value;
        _lockDriver = lockDriver;
        _dispatcher = dispatcher;
        _timeProvider = timeProvider;
        _logger = logger;
        _backoff = new ReconnectBackoff(_options.ReconnectDelays);
        _hubUri = HubAddress.FromServerUrl(_options.ServerUrl);

        _connection = BoxHubConnection.Create(_options.ServerUrl, _options.BoxKey, _backoff.SlowestDelay, logger);
        _connection.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, _dispatcher.Dispatch);
        _connection.Closed += error =>
        {
            _live = false;
            Volatile.Read(ref _closed).TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    /// <summary>Raised after each successful Hello, once the pending commands were handed on.</summary>
    public event Action? SessionStarted;

    /// <summary>Connected and Hello done.</summary>
    public bool IsLive => _live && _connection.State == HubConnectionState.Connected;

    /// <summary>The connection when <see cref="IsLive"/>, otherwise null.</summary>
    public HubConnection? LiveConnection => IsLive ? _connection : null;

    /// <summary>Completes when the first session is live; cancelled if the session ends before that.</summary>
    public Task WaitForFirstSessionAsync(CancellationToken cancellationToken) => _firstSession.Task.WaitAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _live = false;
        try
        {
            await _connection.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCloseFailed(_logger, ex);
        }
    }

    /// <summary>Abrupt end, as if the process died: the connection is dropped without further calls.</summary>
    public async ValueTask DisposeAsync()
    {
        _live = false;
        Dispose(); // cancels the loop
        try
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            if (ExecuteTask is { } loop)
            {
                await loop.WaitAsync(ShutdownWait).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCloseFailed(_logger, ex);
        }
        _firstSession.TrySetCanceled();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogConnecting(_logger, _options.SoftwareVersion, _hubUri);
        var failures = 0;
        Exception? lastError = null;
        try
        {
            while (true)
            {
                if (failures > 0)
                {
                    await Task.Delay(_backoff.DelayFor(failures - 1, lastError), _timeProvider, stoppingToken).ConfigureAwait(false);
                }
                var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _closed, closed);
                try
                {
                    await _connection.StartAsync(stoppingToken).ConfigureAwait(false);
                    await HelloAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    lastError = ex;
                    LogAttemptFailed(ex, failures);
                    await StopQuietlyAsync().ConfigureAwait(false);
                    continue;
                }

                failures = 0;
                lastError = null;
                _live = true;
                _firstSession.TrySetResult();
                RaiseSessionStarted();

                var error = await closed.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                _live = false;
                LogConnectionLost(_logger, error);
                // The first try after losing a live connection waits the first delay (usually none).
                failures = 1;
                lastError = error;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _live = false;
            _firstSession.TrySetCanceled();
        }
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        var doors = _lockDriver.GetDoors().Take(BridgeProtocol.Limits.MaxDoorsInHello).ToList();
        var sentAt = _timeProvider.GetUtcNow();
        var hello = await _connection.InvokeAsync<HelloResponse>(
            BridgeProtocol.ServerMethods.Hello, new HelloRequest(_options.SoftwareVersion, doors), cancellationToken).ConfigureAwait(false);
        var receivedAt = _timeProvider.GetUtcNow();
        // The server read its clock about halfway through the round trip.
        _dispatcher.ClockOffset = hello.ServerTime - (sentAt + ((receivedAt - sentAt) / 2));
        var pending = hello.PendingCommands ?? [];
        LogHelloDone(_logger, _dispatcher.ClockOffset, pending.Count);
        foreach (var command in pending)
        {
            _dispatcher.Dispatch(command);
        }
    }

    private void RaiseSessionStarted()
    {
        try
        {
            SessionStarted?.Invoke();
        }
        catch (Exception ex)
        {
            LogHandlerFailed(_logger, ex);
        }
    }

    private async Task StopQuietlyAsync()
    {
        try
        {
            await _connection.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCloseFailed(_logger, ex);
        }
    }

    private void LogAttemptFailed(Exception ex, int failures)
    {
        var delay = _backoff.DelayFor(failures - 1, ex);
        if (ex is HubException)
        {
            // The connection stood but Hello was refused or not processed: the server's answer says why.
            LogHelloFailed(_logger, ex.Message, delay);
        }
        else if (ReconnectBackoff.IsKeyRejected(ex))
        {
            // Already logged as an error where the WebSocket was refused (BoxHubConnection).
            LogConnectFailedKeyRejected(_logger, failures, delay);
        }
        else
        {
            LogConnectFailed(_logger, failures, ex.Message, delay);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bridge {Version} connecting to {Hub}.")]
    private static partial void LogConnecting(ILogger logger, string version, Uri hub);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hello done: clock offset {Offset}, {Pending} pending commands.")]
    private static partial void LogHelloDone(ILogger logger, TimeSpan offset, int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hello failed: {Error} Closing the connection and trying again in {Delay}.")]
    private static partial void LogHelloFailed(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting to the back office failed (attempt {Attempt}): {Error} (next try in {Delay})")]
    private static partial void LogConnectFailed(ILogger logger, int attempt, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connecting to the back office failed (attempt {Attempt}): box key refused (next try in {Delay})")]
    private static partial void LogConnectFailedKeyRejected(ILogger logger, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the back office lost; connecting again.")]
    private static partial void LogConnectionLost(ILogger logger, Exception? exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A SessionStarted handler failed.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the hub connection failed.")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);
}
