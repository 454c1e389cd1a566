namespace BackOffice.Bridge;

/// <summary>Behaviour of <see cref="SimulatedLockDriver"/> (section <c>Simulator</c>).</summary>
public sealed class SimulatedLockOptions
{
    public const string SectionName = "Simulator";

    /// <summary>How long the lock takes to release.</summary>
    public TimeSpan OpenDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>An opened door closes by itself after this; null = only <see cref="SimulatedLockDriver.CloseDoor"/> closes it.</summary>
    public TimeSpan? AutoCloseAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Compartment labels (e.g. "01-01") the simulated controller knows from the start, all closed.</summary>
    public string[] Compartments { get; set; } = [];
}
