using BackOffice.Application.Operations;
using BackOffice.Domain.Operations;
using BackOffice.Domain.Staff;

namespace BackOffice.UnitTests.Operations;

/// <summary>The alarm thresholds, without a clock or a database.</summary>
public class AlarmRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Box = Guid.NewGuid();
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    private static IReadOnlyList<AlarmCondition> Evaluate(
        BoxFacts? box = null, OpenDoor[]? doors = null, FaultyCompartment[]? faults = null, FailedSms[]? sms = null) =>
        AlarmRules.Evaluate(new AlarmFacts([box ?? new BoxFacts(Box, "DLZ-1", Now, 10, 0)], doors ?? [], faults ?? [], sms ?? []),
            Now, new AlarmOptions(), Heartbeat);

    [Fact]
    public void DoorOpen_TwoMinutes_IsNoAlarm_LongerIs()
    {
        var compartment = Guid.NewGuid();

        Assert.Empty(Evaluate(doors: [new OpenDoor(Box, compartment, "01-03", Now.AddMinutes(-2))]));
        var alarm = Assert.Single(Evaluate(doors: [new OpenDoor(Box, compartment, "01-03", Now.AddMinutes(-2).AddSeconds(-1))]));
        Assert.Equal(AlarmKind.DoorOpen, alarm.Kind);
        Assert.Equal($"door-open:{compartment}", alarm.Key);
        Assert.Equal("01-03", alarm.Subject);
    }

    [Fact]
    public void DoorOpen_FollowsTheConfiguredMinutes()
    {
        var facts = new AlarmFacts([], [new OpenDoor(Box, Guid.NewGuid(), "01-03", Now.AddMinutes(-3))], [], []);

        Assert.Empty(AlarmRules.Evaluate(facts, Now, new AlarmOptions { DoorOpenMinutes = 5 }, Heartbeat));
        Assert.Single(AlarmRules.Evaluate(facts, Now, new AlarmOptions { DoorOpenMinutes = 2 }, Heartbeat));
    }

    [Fact]
    public void BoxOffline_AfterTheHeartbeatTimeout_ButNotABoxThatNeverReported()
    {
        Assert.Empty(Evaluate(new BoxFacts(Box, "DLZ-1", Now - Heartbeat, null, 0)));
        Assert.Equal(AlarmKind.BoxOffline, Assert.Single(Evaluate(new BoxFacts(Box, "DLZ-1", Now - Heartbeat - TimeSpan.FromSeconds(1), null, 0))).Kind);
        Assert.Empty(Evaluate(new BoxFacts(Box, "HOL-1", null, null, 0)));
    }

    [Fact]
    public void Bin_At89IsNoAlarm_At90Is()
    {
        Assert.Empty(Evaluate(new BoxFacts(Box, "DLZ-1", Now, 89, 0)));
        var alarm = Assert.Single(Evaluate(new BoxFacts(Box, "DLZ-1", Now, 90, 0)));
        Assert.Equal(AlarmKind.BinFull, alarm.Kind);
        Assert.Equal("90 %", alarm.Subject);
    }

    [Fact]
    public void RefusedPickups_FourAreNoAlarm_FiveAre()
    {
        Assert.Empty(Evaluate(new BoxFacts(Box, "DLZ-1", Now, 0, 4)));
        Assert.Equal(AlarmKind.PickupRefusals, Assert.Single(Evaluate(new BoxFacts(Box, "DLZ-1", Now, 0, 5))).Kind);
    }

    [Fact]
    public void FaultsAndFailedSms_EachHaveTheirOwnAlarm()
    {
        var sms = Guid.NewGuid();
        var conditions = Evaluate(
            faults: [new FaultyCompartment(Box, Guid.NewGuid(), "02-01"), new FaultyCompartment(Box, Guid.NewGuid(), "02-02")],
            sms: [new FailedSms(sms, null)]);

        Assert.Equal(2, conditions.Count(c => c.Kind == AlarmKind.CompartmentFault));
        Assert.Equal($"sms-failed:{sms}", Assert.Single(conditions, c => c.Kind == AlarmKind.SmsFailed).Key);
        Assert.Equal(3, conditions.Select(c => c.Key).Distinct().Count());
    }

    [Fact]
    public void KindsFor_EachRoleSeesItsAlarms_TheSupervisorAll()
    {
        Assert.Equal(Enum.GetValues<AlarmKind>(), AlarmRules.KindsFor([StaffRoles.Supervisor]));
        Assert.Equal([AlarmKind.DoorOpen, AlarmKind.BinFull, AlarmKind.SmsFailed], AlarmRules.KindsFor([StaffRoles.Clerk]));
        Assert.Equal([AlarmKind.BoxOffline, AlarmKind.CompartmentFault], AlarmRules.KindsFor([StaffRoles.Admin]));
    }
}
