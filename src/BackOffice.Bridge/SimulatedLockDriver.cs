using BackOffice.Bridge.Contracts;

namespace BackOffice.Bridge;

/// <summary>
/// A lock controller in software, for development and tests until the vendor documents the real one's protocol.
/// Behaves like the hardware: releasing a lock takes <see cref="SimulatedLockOptions.OpenDelay"/>, the door then
/// reports Open and closes by itself after <see cref="SimulatedLockOptions.AutoCloseAfter"/> (or on <see cref="CloseDoor"/>).
/// </summary>
public sealed class SimulatedLockDriver : ILockDriver, IDisposable
{
    public const string JammedDetail = "Tür klemmt";
    public const string ControllerUnreachableDetail = "Schließsteuerung nicht erreichbar";

    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly SimulatedLockOptions _options;
    private readonly Dictionary<string, Door> _doors = new(StringComparer.Ordinal);
    private bool _controllerReachable = true;
    private int _returnBinFillPercent;

    public SimulatedLockDriver(TimeProvider timeProvider, SimulatedLockOptions options)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _options = options;
        foreach (var compartment in options.Compartments.Where(c => !string.IsNullOrWhiteSpace(c)))
        {
            _doors.TryAdd(compartment, new Door());
        }
    }

    public event Action<string, string, DateTimeOffset>? DoorChanged;

    public int ReturnBinFillPercent
    {
        get => Volatile.Read(ref _returnBinFillPercent);
        set => Volatile.Write(ref _returnBinFillPercent, Math.Clamp(value, 0, 100));
    }

    public IReadOnlyList<string> Faults
    {
        get
        {
            lock (_gate)
            {
                var faults = new List<string>();
                if (!_controllerReachable)
                {
                    faults.Add(ControllerUnreachableDetail);
                }
                faults.AddRange(_doors.Where(d => d.Value.Jammed).OrderBy(d => d.Key, StringComparer.Ordinal)
                    .Select(d => $"Fach {d.Key}: {JammedDetail}"));
                return faults;
            }
        }
    }

    public IReadOnlyList<DoorStatus> GetDoors()
    {
        lock (_gate)
        {
            return _doors.OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => new DoorStatus(d.Key, d.Value.IsOpen ? BridgeProtocol.DoorStates.Open : BridgeProtocol.DoorStates.Closed))
                .ToList();
        }
    }

    public async Task<LockOpenResult> OpenAsync(string compartment, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(compartment);
        if (!IsControllerReachable())
        {
            return new LockOpenResult(false, ControllerUnreachableDetail);
        }

        await Task.Delay(_options.OpenDelay, _timeProvider, cancellationToken).ConfigureAwait(false);

        DateTimeOffset at;
        lock (_gate)
        {
            // The controller may have failed or the door jammed while the lock was working.
            if (!_controllerReachable)
            {
                return new LockOpenResult(false, ControllerUnreachableDetail);
            }
            var door = DoorFor(compartment);
            if (door.Jammed)
            {
                return new LockOpenResult(false, JammedDetail);
            }
            if (door.IsOpen)
            {
                return new LockOpenResult(true, "Tür war bereits offen");
            }
            door.IsOpen = true;
            door.OpenCount++;
            door.Generation++;
            at = _timeProvider.GetUtcNow();
        }

        DoorChanged?.Invoke(compartment, BridgeProtocol.DoorStates.Open, at);
        ScheduleAutoClose(compartment);
        return new LockOpenResult(true, null);
    }

    /// <summary>Someone shuts the door.</summary>
    public void CloseDoor(string compartment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(compartment);
        Close(compartment, generation: null);
    }

    /// <summary>Fault: this door will not open until <see cref="Unjam"/>.</summary>
    public void Jam(string compartment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(compartment);
        lock (_gate)
        {
            DoorFor(compartment).Jammed = true;
        }
    }

    public void Unjam(string compartment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(compartment);
        lock (_gate)
        {
            DoorFor(compartment).Jammed = false;
        }
    }

    /// <summary>Fault: the connection to the lock controller is lost; every open fails.</summary>
    public void SetControllerReachable(bool reachable)
    {
        lock (_gate)
        {
            _controllerReachable = reachable;
        }
    }

    /// <summary>How often the door was physically opened.</summary>
    public int OpenCount(string compartment)
    {
        lock (_gate)
        {
            return _doors.TryGetValue(compartment, out var door) ? door.OpenCount : 0;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var door in _doors.Values)
            {
                door.AutoClose?.Dispose();
                door.AutoClose = null;
            }
        }
    }

    private bool IsControllerReachable()
    {
        lock (_gate)
        {
            return _controllerReachable;
        }
    }

    private Door DoorFor(string compartment)
    {
        if (!_doors.TryGetValue(compartment, out var door))
        {
            door = new Door();
            _doors.Add(compartment, door);
        }
        return door;
    }

    private void ScheduleAutoClose(string compartment)
    {
        if (_options.AutoCloseAfter is not { } after)
        {
            return;
        }
        lock (_gate)
        {
            var door = DoorFor(compartment);
            if (!door.IsOpen)
            {
                return;
            }
            door.AutoClose?.Dispose();
            // The generation keeps a late timer from closing a door that was closed and opened again meanwhile.
            var generation = door.Generation;
            door.AutoClose = _timeProvider.CreateTimer(_ => Close(compartment, generation), null, after, Timeout.InfiniteTimeSpan);
        }
    }

    private void Close(string compartment, long? generation)
    {
        DateTimeOffset at;
        lock (_gate)
        {
            if (!_doors.TryGetValue(compartment, out var door) || !door.IsOpen || (generation is { } g && g != door.Generation))
            {
                return;
            }
            door.IsOpen = false;
            door.AutoClose?.Dispose();
            door.AutoClose = null;
            at = _timeProvider.GetUtcNow();
        }
        DoorChanged?.Invoke(compartment, BridgeProtocol.DoorStates.Closed, at);
    }

    private sealed class Door
    {
        public bool IsOpen { get; set; }

        public bool Jammed { get; set; }

        public int OpenCount { get; set; }

        public long Generation { get; set; }

        public ITimer? AutoClose { get; set; }
    }
}
