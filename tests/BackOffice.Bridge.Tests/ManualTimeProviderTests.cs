using BackOffice.Testing;

namespace BackOffice.Bridge.Tests;

/// <summary>The timer support added to the shared <see cref="ManualTimeProvider"/>.</summary>
public sealed class ManualTimeProviderTests
{
    [Fact]
    public async Task Delay_ControlledTimers_CompletesOnlyWhenTheClockPassesTheDueTime()
    {
        var clock = TestSupport.Clock();
        var delay = Task.Delay(TimeSpan.FromSeconds(10), clock, TestContext.Current.CancellationToken);

        clock.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void PeriodicTimer_ControlledTimers_FiresOncePerPeriodPassed()
    {
        var clock = TestSupport.Clock();
        var ticks = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref ticks), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(3.5));

        Assert.Equal(3, Volatile.Read(ref ticks));
    }

    [Fact]
    public void CreateTimer_Disposed_NeverFires()
    {
        var clock = TestSupport.Clock();
        var fired = false;
        var timer = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.False(fired);
    }

    [Fact]
    public void CreateTimer_WithoutControlledTimers_IgnoresTheManualClockAsBefore()
    {
        var clock = new ManualTimeProvider(TestSupport.Start);
        var fired = false;
        using var timer = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromHours(2));

        Assert.False(fired);
    }
}
