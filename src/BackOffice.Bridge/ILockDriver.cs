using BackOffice.Bridge.Contracts;

namespace BackOffice.Bridge;

/// <summary>The box's lock controller as the bridge sees it.</summary>
public interface ILockDriver
{
    /// <summary>Releases one compartment's lock. Completes when the controller reports the outcome.</summary>
    Task<LockOpenResult> OpenAsync(string compartment, CancellationToken cancellationToken);

    /// <summary>Every door the controller knows, with its current state.</summary>
    IReadOnlyList<DoorStatus> GetDoors();

    int ReturnBinFillPercent { get; }

    /// <summary>Current faults in plain words (German, shown to staff).</summary>
    IReadOnlyList<string> Faults { get; }

    /// <summary>A door opened or closed: compartment, <see cref="BridgeProtocol.DoorStates"/> value, when.</summary>
    event Action<string, string, DateTimeOffset>? DoorChanged;
}

/// <summary>Outcome of one open attempt; <paramref name="Detail"/> explains a failure.</summary>
public sealed record LockOpenResult(bool Opened, string? Detail);
