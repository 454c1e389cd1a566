using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// The box's side of the hub connection: receives unlock commands, drives the lock, reports results, door events,
/// old documents and heartbeats, and passes the panel's pickup requests on. Results, door events and old documents go
/// through the durable journal and are sent in order once the server acknowledged the previous one; they survive
/// disconnects and restarts.
/// </summary>
public sealed class BridgeClient : IAsyncDisposable
{
    /// <summary>The panel's answer when the back office cannot be asked (not connected, or the connection failed mid-request).</summary>
    public const string NotConnectedMessage = "Die Ausgabebox ist gerade nicht verbunden. Bitte versuchen Sie es in einem Moment erneut.";

    /// <summary>The panel's answer when the back office refused to handle the request (e.g. a field too long) instead of answering it.</summary>
    public const string RequestFailedMessage = "Die Anfrage konnte nicht bearbeitet werden. Bitte prüfen Sie Ihre Angaben oder wenden Sie sich an den Schalter.";

    // Real time on purpose: bounds how long shutdown waits for a lock driver that ignores cancellation.
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(5);

    // A HubException can be a race the server asks to repeat ("report it again"); a few tries, then it is dropped.
    private const int SendAttemptsBeforeReject = 3;

    private readonly BridgeOptions _options;
    private readonly ILockDriver _lockDriver;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BridgeClient> _logger;
    private readonly ReconnectBackoff _backoff;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _sessionLock = new(1, 1);
    private readonly Channel<bool> _sendSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<Task, bool> _runningCommands = new();
    private readonly TaskCompletionSource _firstSession = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BridgeJournal? _journal;
    private CommandExecutor? _executor;
    private HubConnection? _connection;
    private Task _sendLoop = Task.CompletedTask;
    private Task _heartbeatLoop = Task.CompletedTask;
    private volatile bool _sessionReady;
    private volatile bool _stopping;
    private int _started;
    private int _sessionFailures;

    public BridgeClient(BridgeOptions options, ILockDriver lockDriver, TimeProvider timeProvider, ILogger<BridgeClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lockDriver);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _lockDriver = lockDriver;
        _timeProvider = timeProvider;
        _logger = logger;
        _backoff = new ReconnectBackoff(options.ReconnectDelays);
    }

    /// <summary>Raised synchronously as soon as an Unlock arrives (live or pending in Hello), before any check.</summary>
    public event Action<UnlockCommand>? CommandReceived;

    /// <summary>Raised after a command's result was produced locally (Opened, Failed, Expired) and recorded; not for a result reproduced from the journal.</summary>
    public event Action<CommandResultReport>? CommandCompleted;

    /// <summary>Connected, Hello done and the queue flushed once: live sending is on.</summary>
    public bool IsConnected => _sessionReady && _connection?.State == HubConnectionState.Connected;

    /// <summary>
    /// Opens the journal, connects (retrying with the backoff until connected or cancelled), says Hello, runs the
    /// pending commands and flushes the queue. Returns once that first session is ready.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The bridge client was already started.");
        }
        ObjectDisposedException.ThrowIf(_stopping, this);

        var hubUri = HubAddress.FromServerUrl(_options.ServerUrl);
        _journal = new BridgeJournal(_options.QueuePath, _timeProvider, _logger);
        _executor = new CommandExecutor(_lockDriver, _journal, _timeProvider, _logger);
        // Subscribed before connecting: door events while offline are journaled and sent later.
        _lockDriver.DoorChanged += OnDoorChanged;
        _connection = BuildConnection(hubUri);
        _sendLoop = Task.Run(() => SendLoopAsync(_lifetime.Token), CancellationToken.None);
        _heartbeatLoop = Task.Run(() => HeartbeatLoopAsync(_lifetime.Token), CancellationToken.None);

        _logger.LogInformation("Bridge {Version} connecting to {Hub}.", _options.SoftwareVersion, hubUri);
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token))
        {
            await ConnectWithBackoffAsync(firstAttempt: 0, linked.Token).ConfigureAwait(false);
        }
        _ = Task.Run(() => RunSessionAsync(_lifetime.Token), CancellationToken.None);
        // A failed first Hello is repeated by the reconnect machinery; this waits for whichever succeeds.
        await _firstSession.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Graceful stop: lets running commands finish, sends what it can, closes the connection and the journal.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        _logger.LogInformation("Bridge stopping.");
        try
        {
            await Task.WhenAll(_runningCommands.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (IsConnected)
            {
                await FlushQueueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: what was not sent stays in the journal for the next start.
        }
        if (_connection is not null)
        {
            try
            {
                await _connection.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogDebug(ex, "Closing the hub connection failed.");
            }
        }
        await ShutDownAsync().ConfigureAwait(false);
    }

    /// <summary>Sends one heartbeat now. Throws when not connected.</summary>
    public async Task SendHeartbeatAsync(CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is null || connection.State != HubConnectionState.Connected)
        {
            throw new InvalidOperationException("The bridge is not connected.");
        }
        var faults = _lockDriver.Faults
            .Where(f => !string.IsNullOrWhiteSpace(f))
            .Select(Truncate)
            .Take(BridgeProtocol.Limits.MaxFaults)
            .ToList();
        var report = new HeartbeatReport(_timeProvider.GetUtcNow(), Math.Clamp(_lockDriver.ReturnBinFillPercent, 0, 100), faults);
        await connection.InvokeAsync(BridgeProtocol.ServerMethods.ReportHeartbeat, report, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the back office whether the citizen at the panel may take their documents; when granted, the Unlock
    /// commands follow on the connection. Not queued: a panel request is answered now or not at all, so without a
    /// connection (or when it fails mid-request) the answer is a refusal with <see cref="NotConnectedMessage"/>, when
    /// the server refuses the call one with <see cref="RequestFailedMessage"/>; never an exception (except the caller's
    /// cancellation). Phone, PIN and birth date are never logged.
    /// </summary>
    public async Task<PickupResponse> RequestPickupAsync(PickupRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connection = _connection;
        if (connection is null || !IsConnected)
        {
            _logger.LogWarning("Pickup request {RequestId} not sent: not connected to the back office.", request.RequestId);
            return NotConnectedAnswer();
        }
        try
        {
            // Queued reports first: the server has seen the old ID from the slot before the request that names it.
            if (!await FlushQueueAsync(cancellationToken).ConfigureAwait(false))
            {
                _logger.LogWarning("Pickup request {RequestId} not sent: the connection failed while sending queued reports.", request.RequestId);
                return NotConnectedAnswer();
            }
            var response = await connection.InvokeAsync<PickupResponse?>(BridgeProtocol.ServerMethods.RequestPickup, request, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                _logger.LogError("Pickup request {RequestId}: the back office answered nothing.", request.RequestId);
                return NotConnectedAnswer();
            }
            // A JSON null for a list or text must not reach the panel as null.
            response = response with { Compartments = response.Compartments ?? [], Message = response.Message ?? "" };
            _logger.LogInformation("Pickup request {RequestId}: {Answer}, {Count} compartments.",
                request.RequestId, response.Granted ? "granted" : "refused", response.Compartments.Count);
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HubException ex)
        {
            // Only the type: the server's error text may quote what was sent.
            _logger.LogError("Pickup request {RequestId} was refused by the back office ({Error}).", request.RequestId, ex.GetType().Name);
            return new PickupResponse(false, [], RequestFailedMessage);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning("Pickup request {RequestId} failed: connection lost ({Error}).", request.RequestId, ex.GetType().Name);
            return NotConnectedAnswer();
        }
    }

    /// <summary>
    /// An old ID was dropped into the destruction slot; <paramref name="documentNumber"/> is what the slot's reader read
    /// (null or blank: nothing readable). Queued like door events: journaled, sent in order, kept across disconnects
    /// and restarts. The number is not logged.
    /// </summary>
    public OldDocumentReport ReportOldDocument(string? documentNumber)
    {
        var journal = _journal ?? throw new InvalidOperationException("The bridge client is not started.");
        var number = string.IsNullOrWhiteSpace(documentNumber) ? null : documentNumber.Trim();
        if (number is { Length: > BridgeProtocol.Limits.MaxTextLength })
        {
            // No document number is that long: a misread, and the server would refuse the whole report.
            _logger.LogWarning("Old document number of {Length} characters is implausible; reported as unread.", number.Length);
            number = null;
        }
        var report = new OldDocumentReport(Guid.NewGuid(), number, _timeProvider.GetUtcNow());
        journal.EnqueueOldDocument(report);
        _logger.LogInformation("Old document {EventId} inserted ({Read}); queued for the back office.", report.EventId, number is null ? "number not read" : "number read");
        SignalSend();
        return report;
    }

    /// <summary>Abrupt end, like a killed process: nothing more is sent; the journal keeps what was not acknowledged.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await ShutDownAsync().ConfigureAwait(false);
    }

    private HubConnection BuildConnection(Uri hubUri)
    {
        var builder = new HubConnectionBuilder();
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory(_options.BoxKey, _backoff.SlowestDelay, _logger));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(hubUri));
        // The server speaks SignalR's default JSON protocol: camelCase names, ISO 8601 times.
        builder.AddJsonProtocol(o => o.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web));
        builder.WithAutomaticReconnect(_backoff);
        var connection = builder.Build();

        connection.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, OnUnlock);
        connection.Reconnecting += error =>
        {
            _sessionReady = false;
            _logger.LogWarning(error, "Connection to the back office lost; reconnecting.");
            return Task.CompletedTask;
        };
        connection.Reconnected += connectionId =>
        {
            _logger.LogInformation("Reconnected to the back office.");
            // Not awaited here: Hello and the flush must not hold up the connection's own work.
            _ = Task.Run(() => RunSessionAsync(_lifetime.Token), CancellationToken.None);
            return Task.CompletedTask;
        };
        connection.Closed += error =>
        {
            _sessionReady = false;
            if (!_stopping)
            {
                // Closed for good (the server did not allow a reconnect, or Hello was refused): start over.
                _logger.LogWarning(error, "Connection to the back office closed; connecting again.");
                _ = Task.Run(() => ReconnectAfterCloseAsync(_lifetime.Token), CancellationToken.None);
            }
            return Task.CompletedTask;
        };
        return connection;
    }

    private async Task ConnectWithBackoffAsync(int firstAttempt, CancellationToken cancellationToken)
    {
        for (var attempt = firstAttempt; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await _connection!.StartAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = _backoff.DelayFor(attempt + 1, ex);
                // A refused key was already logged as an error by the connection factory.
                _logger.Log(ReconnectBackoff.IsKeyRejected(ex) ? LogLevel.Debug : LogLevel.Warning,
                    "Connecting to the back office failed (attempt {Attempt}): {Error} (next try in {Delay})", attempt + 1, ex.Message, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReconnectAfterCloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var delay = _backoff.DelayFor(Volatile.Read(ref _sessionFailures), null);
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            await ConnectWithBackoffAsync(Volatile.Read(ref _sessionFailures) + 1, cancellationToken).ConfigureAwait(false);
            await RunSessionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Reconnecting after the connection closed failed.");
        }
    }

    /// <summary>Rule for every (re)connect: Hello, keep the clock offset, run pending commands, flush the queue, then go live.</summary>
    private async Task RunSessionAsync(CancellationToken cancellationToken)
    {
        var connection = _connection!;
        try
        {
            await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            _sessionReady = false;
            var doors = _lockDriver.GetDoors().Take(BridgeProtocol.Limits.MaxDoorsInHello).ToList();
            var sentAt = _timeProvider.GetUtcNow();
            var hello = await connection.InvokeAsync<HelloResponse>(
                BridgeProtocol.ServerMethods.Hello, new HelloRequest(_options.SoftwareVersion, doors), cancellationToken).ConfigureAwait(false);
            var receivedAt = _timeProvider.GetUtcNow();
            // The server read its clock about halfway through the round trip.
            _executor!.ClockOffset = hello.ServerTime - (sentAt + ((receivedAt - sentAt) / 2));
            var pending = hello.PendingCommands ?? [];
            _logger.LogInformation("Hello done: clock offset {Offset}, {Pending} pending commands, {Queued} queued reports.",
                _executor.ClockOffset, pending.Count, _journal!.UnsentCount);

            foreach (var command in pending)
            {
                OnUnlock(command);
            }
            if (!await FlushQueueAsync(cancellationToken).ConfigureAwait(false))
            {
                return; // Connection lost while flushing; the reconnect runs the session again.
            }
            Volatile.Write(ref _sessionFailures, 0);
            _sessionReady = true;
            _firstSession.TrySetResult();
            SignalSend(); // whatever arrived during the flush
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (HubException ex)
        {
            // The server refused Hello; closing lets the Closed handler try again with the backoff.
            Interlocked.Increment(ref _sessionFailures);
            _logger.LogError("The back office refused Hello: {Error} Closing the connection and trying again.", ex.Message);
            _ = connection.StopAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Hello failed; the reconnect will repeat it.");
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    private void OnUnlock(UnlockCommand command)
    {
        if (command is null)
        {
            return;
        }
        try
        {
            CommandReceived?.Invoke(command);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "A CommandReceived handler failed.");
        }
        if (command.CommandId == Guid.Empty)
        {
            _logger.LogWarning("Unlock without command id ignored.");
            return;
        }
        // The lock takes a while: run it off the connection's receive loop.
        var task = Task.Run(() => RunCommandAsync(command), CancellationToken.None);
        _runningCommands.TryAdd(task, true);
        _ = task.ContinueWith(t => _runningCommands.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunCommandAsync(UnlockCommand command)
    {
        var token = _lifetime.Token;
        try
        {
            var execution = await _executor!.ExecuteAsync(command, token).ConfigureAwait(false);
            if (execution is { IsNewResult: true })
            {
                try
                {
                    CommandCompleted?.Invoke(execution.Result);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "A CommandCompleted handler failed.");
                }
            }
            SignalSend();
        }
        catch (Exception ex) when (token.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException)
        {
            // Killed or stopped mid-command; the journal knows whether it started.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Command {CommandId} could not be completed.", command.CommandId);
        }
    }

    private void OnDoorChanged(string compartment, string state, DateTimeOffset at)
    {
        try
        {
            _journal!.EnqueueDoor(new DoorReport(Guid.NewGuid(), compartment, state, at));
            SignalSend();
        }
        catch (ObjectDisposedException)
        {
            // The bridge is shutting down; a real controller reports the state again in the next Hello.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Door event {Compartment} {State} could not be journaled.", compartment, state);
        }
    }

    private void SignalSend() => _sendSignal.Writer.TryWrite(true);

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in _sendSignal.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_sessionReady)
                {
                    await FlushQueueAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Sends queued entries in order; each is dropped from the queue only after the server acknowledged it. False when the connection failed.</summary>
    private async Task<bool> FlushQueueAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var journal = _journal!;
            while (journal.TryPeekUnsent(out var entry))
            {
                var connection = _connection;
                if (connection is null || connection.State != HubConnectionState.Connected)
                {
                    return false;
                }
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await SendEntryAsync(connection, entry, cancellationToken).ConfigureAwait(false);
                        journal.MarkSent(entry.Sequence);
                        break;
                    }
                    catch (HubException ex) when (attempt < SendAttemptsBeforeReject)
                    {
                        _logger.LogDebug("The back office refused entry {Sequence} ({Error}); trying again.", entry.Sequence, ex.Message);
                    }
                    catch (HubException ex)
                    {
                        _logger.LogError("The back office refused {Kind} (entry {Sequence}): {Error} It is dropped so the queue can go on.",
                            Describe(entry), entry.Sequence, ex.Message);
                        journal.MarkRejected(entry.Sequence, ex.Message);
                        break;
                    }
                }
            }
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ObjectDisposedException) when (_stopping)
        {
            return false;
        }
        catch (Exception ex)
        {
            // Connection lost mid-send: the entry stays queued and goes first after the reconnect.
            _logger.LogDebug(ex, "Sending queued reports stopped.");
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static Task SendEntryAsync(HubConnection connection, JournalEntry entry, CancellationToken cancellationToken) => entry switch
    {
        { Result: { } result } => connection.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, result, cancellationToken),
        { OldDocument: { } oldDocument } => connection.InvokeAsync(BridgeProtocol.ServerMethods.ReportOldDocument, oldDocument, cancellationToken),
        _ => connection.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, entry.Door, cancellationToken),
    };

    private static string Describe(JournalEntry entry) => entry switch
    {
        { Result: { } result } => $"result of command {result.CommandId}",
        { OldDocument: { } oldDocument } => $"old document {oldDocument.EventId}",
        _ => $"door event {entry.Door?.EventId}",
    };

    private static PickupResponse NotConnectedAnswer() => new(false, [], NotConnectedMessage);

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.HeartbeatInterval, _timeProvider);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!IsConnected)
                {
                    continue; // not queued: a stale heartbeat says nothing
                }
                try
                {
                    await SendHeartbeatAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    _logger.LogDebug(ex, "Heartbeat not sent.");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ShutDownAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _sessionReady = false;
        _lockDriver.DoorChanged -= OnDoorChanged;
        _sendSignal.Writer.TryComplete();
        if (_connection is not null)
        {
            try
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogDebug(ex, "Disposing the hub connection failed.");
            }
        }
        try
        {
            await Task.WhenAll([_sendLoop, _heartbeatLoop, .. _runningCommands.Keys]).WaitAsync(ShutdownWait).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogDebug(ex, "Background work did not end cleanly.");
        }
        _journal?.Dispose();
        _firstSession.TrySetCanceled();
    }

    private static string Truncate(string text) =>
        text.Length <= BridgeProtocol.Limits.MaxTextLength ? text : text[..BridgeProtocol.Limits.MaxTextLength];
}
