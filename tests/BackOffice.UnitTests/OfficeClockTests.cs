using BackOffice.Application.Common;
using BackOffice.Testing;

namespace BackOffice.UnitTests;

public class OfficeClockTests
{
    [Fact]
    public void Format_WinterInstant_ShowsCentralEuropeanTime() =>
        Assert.Equal("21.11.2026 08:30", OfficeClock.Format(new DateTimeOffset(2026, 11, 21, 7, 30, 0, TimeSpan.Zero)));

    [Fact]
    public void Format_SummerInstant_ShowsDaylightSavingTime() =>
        Assert.Equal("01.07.2026 09:30", OfficeClock.Format(new DateTimeOffset(2026, 7, 1, 7, 30, 0, TimeSpan.Zero)));

    [Fact]
    public void Now_ReadsTheInjectedTimeProvider()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero));
        var clock = new OfficeClock(time);
        Assert.Equal(1, clock.Now.Hour);

        // Across the switch to summer time the office clock jumps an hour.
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, clock.Now.Hour);
    }
}
