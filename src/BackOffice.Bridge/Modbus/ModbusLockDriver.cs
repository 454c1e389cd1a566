using BackOffice.Bridge.Contracts;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge.Modbus;

/// <summary>
/// Drives a box built from standard Modbus I/O modules: a relay output (coil) per lock, a contact input per door, as the
/// <see cref="BoxMap"/> says. Door inputs are polled every <see cref="ModbusOptions.PollInterval"/> and become door events
/// only on a debounced change. An unlock pulses the coil and is "Opened" only when the door input reads open within
/// <see cref="ModbusOptions.OpenTimeout"/>.
/// </summary>
/// <remarks>
/// Singleton. One poll loop (<see cref="StartAsync"/> to <see cref="StopAsync"/>) is the only writer of door state; unlocks
/// run on any thread, one pulse at a time (the lock supply is sized for one solenoid). When the controller stops
/// answering for <see cref="BoxMapControllerLost.FailedPolls"/> polls it is a box fault: every unlock fails at once and
/// nothing is queued, so no door opens late. The first poll that answers again switches off every coil whose pulse was
/// cut, reads all doors and reports each one that changed meanwhile; then the fault clears.
/// </remarks>
public sealed partial class ModbusLockDriver : ILockDriver, IAsyncDisposable
{
    public const string ControllerUnreachableDetail = "Steuerung nicht erreichbar";
    public const string DoorDidNotOpenDetail = "Tür hat nicht geöffnet";
    public const string NotWiredDetail = "Fach ist in der Box-Konfiguration nicht verdrahtet";
    public const string AlreadyOpenDetail = "Tür war bereits offen";

    private const int MaxGapInOneRead = 32;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _pulseGate = new(1, 1);
    private readonly BoxMap _map;
    private readonly IModbusTransport _transport;
    private readonly ModbusClient _client;
    private readonly ModbusOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ModbusLockDriver> _logger;
    private readonly Dictionary<string, BoxMapCompartment> _wiring = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Door> _doors = new(StringComparer.Ordinal);
    private readonly List<InputBlock> _blocks = [];
    private readonly HashSet<(byte Unit, ushort Coil)> _coilsToReset = [];
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<byte, string> _unitFaults = [];
    private CancellationTokenSource _reachableSession = new();
    private bool _reachable;
    private bool _everReached;
    private int _failedPolls;
    private int _disposed;
    private int _returnBinFillPercent;
    private Task _loop = Task.CompletedTask;

    public ModbusLockDriver(BoxMap map, IModbusTransport transport, ModbusOptions options, TimeProvider timeProvider, ILogger<ModbusLockDriver> logger)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _map = map;
        _transport = transport;
        _client = new ModbusClient(transport);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        foreach (var compartment in map.Compartments)
        {
            _wiring.Add(compartment.Label, compartment);
            _doors.Add(compartment.Label, new Door());
        }
        // Until the first answer nothing is known, which is the fault "not reachable".
        _reachableSession.Cancel();
        BuildInputBlocks();
    }

    public event Action<string, string, DateTimeOffset>? DoorChanged;

    public int ReturnBinFillPercent => Volatile.Read(ref _returnBinFillPercent);

    public IReadOnlyList<string> Faults
    {
        get
        {
            lock (_gate)
            {
                var faults = new List<string>();
                if (!_reachable)
                {
                    faults.Add(ControllerUnreachableDetail);
                }
                faults.AddRange(_unitFaults.OrderBy(f => f.Key).Select(f => f.Value));
                faults.AddRange(_doors.Where(d => d.Value.DidNotOpen).Select(d => $"Fach {d.Key}: {DoorDidNotOpenDetail}"));
                return faults;
            }
        }
    }

    /// <summary>Doors whose state is known (read at least once); a door never read is left out rather than guessed.</summary>
    public IReadOnlyList<DoorStatus> GetDoors()
    {
        lock (_gate)
        {
            return _doors.Where(d => d.Value.Stable is not null)
                .Select(d => new DoorStatus(d.Key, d.Value.Stable == true ? BridgeProtocol.DoorStates.Open : BridgeProtocol.DoorStates.Closed))
                .ToList();
        }
    }

    /// <summary>Reads every door once (so Hello reports them), then polls in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await PollSafelyAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(() => PollLoopAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // The container hands this one instance out under two service types and disposes it for each.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _pulseGate.Dispose();
    }

    public async Task<LockOpenResult> OpenAsync(string compartment, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(compartment);
        if (!_wiring.TryGetValue(compartment, out var wiring))
        {
            return new LockOpenResult(false, NotWiredDetail);
        }
        Task opened;
        CancellationToken reachable;
        lock (_gate)
        {
            if (!_reachable)
            {
                LogRefusedWhileLost(_logger, compartment);
                return new LockOpenResult(false, ControllerUnreachableDetail);
            }
            var door = _doors[compartment];
            if (door.Stable == true)
            {
                return new LockOpenResult(true, AlreadyOpenDetail);
            }
            // Created before the pulse, so a door that springs open during it is not missed.
            opened = (door.Opened ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            reachable = _reachableSession.Token;
        }

        DateTimeOffset deadline;
        await _pulseGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (reachable.IsCancellationRequested)
            {
                return new LockOpenResult(false, ControllerUnreachableDetail);
            }
            deadline = _timeProvider.GetUtcNow() + _options.OpenTimeout;
            if (await PulseAsync(wiring).ConfigureAwait(false) is { } failure)
            {
                return failure;
            }
        }
        finally
        {
            _pulseGate.Release();
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, reachable);
        var remaining = deadline - _timeProvider.GetUtcNow();
        try
        {
            await opened.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _timeProvider, waiting.Token).ConfigureAwait(false);
            return new LockOpenResult(true, null);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _doors[compartment].DidNotOpen = true;
            }
            LogDoorDidNotOpen(_logger, compartment, _options.OpenTimeout);
            return new LockOpenResult(false, DoorDidNotOpenDetail);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Lost while waiting: whether the door opened is unknown until the controller answers again.
            return new LockOpenResult(false, ControllerUnreachableDetail);
        }
    }

    /// <summary>ON, the pulse, OFF. Null when done; otherwise the unlock's failure.</summary>
    private async Task<LockOpenResult?> PulseAsync(BoxMapCompartment wiring)
    {
        // Modbus requests carry no expiry: a node that hung after its network stack took a request executes it whenever
        // it wakes. So the ON is sent only right after the node answered, never into a silence; the last poll may be
        // a timeout old.
        try
        {
            await _client.ReadDiscreteInputsAsync(wiring.Unit, wiring.DoorInput, 1, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ModbusExceptionResponse ex)
        {
            LogRefusedByController(_logger, wiring.Label, wiring.Unit, wiring.DoorInput, ex.Code);
            return new LockOpenResult(false, $"Steuerung lehnt ab: {ex.Description} (Modbus-Ausnahme {ex.Code})");
        }
        catch (ModbusCommunicationException ex)
        {
            LogPulseFailed(_logger, wiring.Label, ex);
            OnExchangeFailed();
            return new LockOpenResult(false, ControllerUnreachableDetail);
        }
        lock (_gate)
        {
            // Until OFF is confirmed: if the controller is lost meanwhile, its first answer again switches this coil off.
            _coilsToReset.Add((wiring.Unit, wiring.Coil));
        }
        // Neither the pulse nor OFF listens to cancellation: a stopping bridge must not leave a lock released.
        try
        {
            await _client.WriteSingleCoilAsync(wiring.Unit, wiring.Coil, true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ModbusExceptionResponse ex)
        {
            lock (_gate)
            {
                _coilsToReset.Remove((wiring.Unit, wiring.Coil));
            }
            LogRefusedByController(_logger, wiring.Label, wiring.Unit, wiring.Coil, ex.Code);
            return new LockOpenResult(false, $"Steuerung lehnt ab: {ex.Description} (Modbus-Ausnahme {ex.Code})");
        }
        catch (ModbusCommunicationException ex)
        {
            LogPulseFailed(_logger, wiring.Label, ex);
            OnExchangeFailed();
            return new LockOpenResult(false, ControllerUnreachableDetail);
        }

        await Task.Delay(wiring.Pulse, _timeProvider, CancellationToken.None).ConfigureAwait(false);

        try
        {
            await _client.WriteSingleCoilAsync(wiring.Unit, wiring.Coil, false, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _coilsToReset.Remove((wiring.Unit, wiring.Coil));
            }
            return null;
        }
        catch (Exception ex) when (ex is ModbusCommunicationException or ModbusExceptionResponse)
        {
            LogPulseFailed(_logger, wiring.Label, ex);
            OnExchangeFailed();
            return new LockOpenResult(false, ControllerUnreachableDetail);
        }
    }

    private async Task PollLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.PollInterval, _timeProvider);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await PollSafelyAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task PollSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PollOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A bug must not end polling: the next tick tries again.
            LogPollError(_logger, ex);
        }
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var readings = new Dictionary<string, bool>(StringComparer.Ordinal);
        var unitFaults = new Dictionary<byte, string>();
        int? fill = null;
        try
        {
            foreach (var block in _blocks)
            {
                try
                {
                    var bits = await _client.ReadDiscreteInputsAsync(block.Unit, block.Start, block.Count, cancellationToken).ConfigureAwait(false);
                    foreach (var (label, offset) in block.Doors)
                    {
                        readings[label] = bits[offset] == (_map.DoorInputOn == DoorInputMeaning.Open);
                    }
                }
                catch (ModbusExceptionResponse ex)
                {
                    // The node answers but refuses: a wiring or map error, not a lost controller. Its doors keep their last state.
                    unitFaults[block.Unit] = $"E/A-Knoten {block.Unit}: Türkontakte nicht lesbar ({ex.Description}, Modbus-Ausnahme {ex.Code})";
                }
            }
            if (_map.ReturnBin is { } bin)
            {
                try
                {
                    var raw = await _client.ReadInputRegistersAsync(bin.Unit, bin.InputRegister, 1, cancellationToken).ConfigureAwait(false);
                    fill = bin.Percent(raw[0]);
                }
                catch (ModbusExceptionResponse ex)
                {
                    unitFaults.TryAdd(bin.Unit, $"E/A-Knoten {bin.Unit}: Füllstand des Rückgabebehälters nicht lesbar ({ex.Description}, Modbus-Ausnahme {ex.Code})");
                }
            }
            if (!IsReachable())
            {
                await ResetCutPulsesAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ModbusCommunicationException ex)
        {
            LogPollFailed(_logger, ex.Message);
            OnExchangeFailed();
            return;
        }
        Apply(readings, unitFaults, fill);
    }

    /// <summary>Switches off every coil whose pulse the loss cut, before anything else happens on the box.</summary>
    private async Task ResetCutPulsesAsync(CancellationToken cancellationToken)
    {
        await _pulseGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            (byte Unit, ushort Coil)[] coils;
            lock (_gate)
            {
                coils = [.. _coilsToReset];
            }
            foreach (var (unit, coil) in coils)
            {
                try
                {
                    await _client.WriteSingleCoilAsync(unit, coil, false, cancellationToken).ConfigureAwait(false);
                }
                catch (ModbusExceptionResponse ex)
                {
                    LogResetRefused(_logger, unit, coil, ex.Code);
                }
                lock (_gate)
                {
                    _coilsToReset.Remove((unit, coil));
                }
            }
        }
        finally
        {
            _pulseGate.Release();
        }
    }

    private void Apply(Dictionary<string, bool> readings, Dictionary<byte, string> unitFaults, int? fill)
    {
        var now = _timeProvider.GetUtcNow();
        var events = new List<(string Label, string State, DateTimeOffset At)>();
        bool recovered;
        lock (_gate)
        {
            recovered = !_reachable;
            foreach (var (label, open) in readings)
            {
                var door = _doors[label];
                if (door.Stable is null || recovered)
                {
                    // Back after a loss the reading is the truth, not a bounce: a door that changed meanwhile is reported now.
                    // The very first reading is no change (Hello reports it).
                    if (door.Stable is { } known && known != open)
                    {
                        events.Add((label, State(open), now));
                    }
                    SetStable(door, open);
                    continue;
                }
                if (open == door.Stable)
                {
                    door.Candidate = null;
                    continue;
                }
                if (door.Candidate != open)
                {
                    door.Candidate = open;
                    door.CandidateSince = now;
                }
                if (now - door.CandidateSince >= _options.DoorDebounce)
                {
                    events.Add((label, State(open), door.CandidateSince));
                    SetStable(door, open);
                }
            }
            _unitFaults = unitFaults;
            if (fill is { } percent)
            {
                Volatile.Write(ref _returnBinFillPercent, percent);
            }
            _failedPolls = 0;
            if (recovered)
            {
                _reachable = true;
                _reachableSession = new CancellationTokenSource();
            }
        }
        if (recovered)
        {
            if (_everReached)
            {
                LogRecovered(_logger, events.Count);
            }
            else
            {
                LogFirstContact(_logger, readings.Count, _wiring.Count);
            }
            _everReached = true;
        }
        foreach (var (label, state, at) in events)
        {
            DoorChanged?.Invoke(label, state, at);
        }
    }

    private static void SetStable(Door door, bool open)
    {
        door.Stable = open;
        door.Candidate = null;
        if (open)
        {
            door.DidNotOpen = false;
            door.Opened?.TrySetResult();
            door.Opened = null;
        }
    }

    private static string State(bool open) => open ? BridgeProtocol.DoorStates.Open : BridgeProtocol.DoorStates.Closed;

    private bool IsReachable()
    {
        lock (_gate)
        {
            return _reachable;
        }
    }

    private void OnExchangeFailed()
    {
        CancellationTokenSource? lost = null;
        lock (_gate)
        {
            _failedPolls++;
            if (_reachable && _failedPolls >= _map.ControllerLost.FailedPolls)
            {
                _reachable = false;
                lost = _reachableSession;
            }
        }
        if (lost is not null)
        {
            LogLost(_logger, _failedPolls);
            lost.Cancel(); // Every unlock waiting for its door ends now, as "Failed".
        }
    }

    /// <summary>One read per run of nearby door inputs on a unit, instead of one per door.</summary>
    private void BuildInputBlocks()
    {
        foreach (var unit in _map.Compartments.GroupBy(c => c.Unit).OrderBy(g => g.Key))
        {
            var inputs = unit.OrderBy(c => c.DoorInput).ToList();
            var start = 0;
            for (var i = 1; i <= inputs.Count; i++)
            {
                if (i == inputs.Count
                    || inputs[i].DoorInput - inputs[i - 1].DoorInput > MaxGapInOneRead
                    || inputs[i].DoorInput - inputs[start].DoorInput >= ModbusPdu.MaxReadBits)
                {
                    var first = inputs[start].DoorInput;
                    _blocks.Add(new InputBlock(
                        unit.Key,
                        first,
                        inputs[i - 1].DoorInput - first + 1,
                        [.. inputs.Skip(start).Take(i - start).Select(c => (c.Label, c.DoorInput - first))]));
                    start = i;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Modbus controller lost after {FailedExchanges} failed exchanges: box fault, every unlock fails until it answers again.")]
    private static partial void LogLost(ILogger logger, int failedExchanges);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus controller answers again; {Changed} door(s) changed meanwhile were reported.")]
    private static partial void LogRecovered(ILogger logger, int changed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Modbus controller answers: {Read} of {Wired} doors read.")]
    private static partial void LogFirstContact(ILogger logger, int read, int wired);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Modbus poll failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Modbus poll failed unexpectedly.")]
    private static partial void LogPollError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock of {Compartment} refused at once: the Modbus controller is not reachable.")]
    private static partial void LogRefusedWhileLost(ILogger logger, string compartment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock of {Compartment}: the controller refused unit {Unit} address {Address} with Modbus exception {Code}; check the box map.")]
    private static partial void LogRefusedByController(ILogger logger, string compartment, byte unit, ushort address, byte code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock of {Compartment}: the pulse failed.")]
    private static partial void LogPulseFailed(ILogger logger, string compartment, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock of {Compartment}: the door input did not read open within {Timeout}.")]
    private static partial void LogDoorDidNotOpen(ILogger logger, string compartment, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Switching off unit {Unit} coil {Coil} after a cut pulse was refused with Modbus exception {Code}.")]
    private static partial void LogResetRefused(ILogger logger, byte unit, ushort coil, byte code);

    private sealed record InputBlock(byte Unit, ushort Start, int Count, (string Label, int Offset)[] Doors);

    private sealed class Door
    {
        /// <summary>Debounced state: true = open; null = never read.</summary>
        public bool? Stable { get; set; }

        public bool? Candidate { get; set; }

        public DateTimeOffset CandidateSince { get; set; }

        /// <summary>The last unlock's door stayed shut; a fault until it is seen open.</summary>
        public bool DidNotOpen { get; set; }

        /// <summary>Completed when the door is next seen open; shared by the unlocks waiting for it.</summary>
        public TaskCompletionSource? Opened { get; set; }
    }
}
