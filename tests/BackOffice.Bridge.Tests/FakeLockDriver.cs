using BackOffice.Bridge.Contracts;

namespace BackOffice.Bridge.Tests;

/// <summary>Records every open; each open completes when the test says so (or at once).</summary>
internal sealed class FakeLockDriver : ILockDriver
{
    private readonly Lock _gate = new();
    private readonly List<string> _opened = [];
    private TaskCompletionSource<LockOpenResult>? _gateOpen;

    public event Action<string, string, DateTimeOffset>? DoorChanged;

    public LockOpenResult NextResult { get; set; } = new(true, null);

    public Exception? Throw { get; set; }

    public int ReturnBinFillPercent { get; set; }

    public IReadOnlyList<string> Faults { get; set; } = [];

    public IReadOnlyList<string> OpenCalls
    {
        get
        {
            lock (_gate)
            {
                return [.. _opened];
            }
        }
    }

    /// <summary>From now on opens wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        _gateOpen = new TaskCompletionSource<LockOpenResult>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _gateOpen?.TrySetResult(NextResult);

    public IReadOnlyList<DoorStatus> GetDoors() => [];

    public void RaiseDoorChanged(string compartment, string state, DateTimeOffset at) => DoorChanged?.Invoke(compartment, state, at);

    public async Task<LockOpenResult> OpenAsync(string compartment, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _opened.Add(compartment);
        }
        if (Throw is not null)
        {
            throw Throw;
        }
        return _gateOpen is { } held ? await held.Task.WaitAsync(cancellationToken) : NextResult;
    }
}
