using BackOffice.Testing;

namespace BackOffice.Bridge.Tests;

internal static class TestSupport
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static ManualTimeProvider Clock() => new(Start) { ControlsTimers = true };
}
