using BackOffice.Domain.Operations;

namespace BackOffice.UnitTests.Domain;

/// <summary>An alarm's lifecycle: acknowledge, resolve and the cause's end, each allowed and refused step.</summary>
public class AlarmLifecycleTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private static Alarm Raised() => Alarm.Raise(Guid.NewGuid(), AlarmKind.DoorOpen, Guid.NewGuid(), "door-open:x", "01-03", At);

    [Fact]
    public void Raise_IsOpen_WithItsCauseActive()
    {
        var alarm = Raised();

        Assert.True(alarm.IsOpen);
        Assert.True(alarm.CauseActive);
        Assert.Null(alarm.AcknowledgedAt);
    }

    [Fact]
    public void Acknowledge_RecordsWhoAndWhen_AndKeepsItOpen()
    {
        var alarm = Raised();

        alarm.Acknowledge("staff:jana", At.AddMinutes(1));

        Assert.Equal("staff:jana", alarm.AcknowledgedBy);
        Assert.Equal(At.AddMinutes(1), alarm.AcknowledgedAt);
        Assert.True(alarm.IsOpen);
    }

    [Fact]
    public void Acknowledge_Twice_OrWhenResolved_IsRefused()
    {
        var acknowledged = Raised();
        acknowledged.Acknowledge("staff:jana", At);
        var resolved = Raised();
        resolved.Resolve("staff:jana", At);

        Assert.Equal(AlarmTransition.Acknowledge, Assert.Throws<AlarmTransitionException>(() => acknowledged.Acknowledge("staff:max", At)).Transition);
        Assert.Throws<AlarmTransitionException>(() => resolved.Acknowledge("staff:max", At));
    }

    [Fact]
    public void Resolve_ByStaff_ClosesIt_ButTheCauseStaysActive()
    {
        var alarm = Raised();

        alarm.Resolve("staff:jana", At.AddMinutes(3));

        Assert.False(alarm.IsOpen);
        Assert.Equal("staff:jana", alarm.ResolvedBy);
        Assert.True(alarm.CauseActive);
        Assert.Equal(AlarmTransition.Resolve, Assert.Throws<AlarmTransitionException>(() => alarm.Resolve("staff:max", At)).Transition);
    }

    [Fact]
    public void EndCause_ResolvesAnOpenAlarmBySystem()
    {
        var alarm = Raised();

        alarm.EndCause(At.AddMinutes(5));

        Assert.False(alarm.IsOpen);
        Assert.False(alarm.CauseActive);
        Assert.Equal("system", alarm.ResolvedBy);
        Assert.Equal(At.AddMinutes(5), alarm.CauseEndedAt);
    }

    [Fact]
    public void EndCause_AfterStaffResolved_KeepsTheirName_AndTwiceIsRefused()
    {
        var alarm = Raised();
        alarm.Resolve("staff:jana", At);

        alarm.EndCause(At.AddMinutes(5));

        Assert.Equal("staff:jana", alarm.ResolvedBy);
        Assert.Equal(At, alarm.ResolvedAt);
        Assert.Equal(AlarmTransition.EndCause, Assert.Throws<AlarmTransitionException>(() => alarm.EndCause(At.AddMinutes(6))).Transition);
    }
}
