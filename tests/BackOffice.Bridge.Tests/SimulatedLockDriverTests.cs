using BackOffice.Bridge.Contracts;
using BackOffice.Testing;

namespace BackOffice.Bridge.Tests;

public sealed class SimulatedLockDriverTests : IDisposable
{
    private static readonly TimeSpan OpenDelay = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan AutoClose = TimeSpan.FromSeconds(5);

    private readonly ManualTimeProvider _clock = TestSupport.Clock();
    private readonly SimulatedLockDriver _driver;
    private readonly List<(string Compartment, string State, DateTimeOffset At)> _events = [];

    public SimulatedLockDriverTests()
    {
        _driver = new SimulatedLockDriver(_clock, new SimulatedLockOptions { OpenDelay = OpenDelay, AutoCloseAfter = AutoClose, Compartments = ["01-01", "01-02"] });
        _driver.DoorChanged += (compartment, state, at) =>
        {
            lock (_events)
            {
                _events.Add((compartment, state, at));
            }
        };
    }

    public void Dispose() => _driver.Dispose();

    [Fact]
    public async Task OpenAsync_BeforeOpenDelay_IsStillWorking()
    {
        var open = _driver.OpenAsync("01-01", TestContext.Current.CancellationToken);

        _clock.Advance(OpenDelay - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50, TestContext.Current.CancellationToken);

        Assert.False(open.IsCompleted);
        Assert.Equal(0, _driver.OpenCount("01-01"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new LockOpenResult(true, null), await open.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OpenAsync_AfterOpenDelay_ReportsOpenThenClosedAfterAutoClose()
    {
        var result = await OpenAsync("01-01");

        Assert.True(result.Opened);
        Assert.Equal([("01-01", BridgeProtocol.DoorStates.Open, TestSupport.Start + OpenDelay)], Events());
        Assert.Contains(new DoorStatus("01-01", BridgeProtocol.DoorStates.Open), _driver.GetDoors());

        _clock.Advance(AutoClose - TimeSpan.FromMilliseconds(1));
        Assert.Single(Events());
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.WaitUntilAsync(() => Events().Count == 2, "door closed");
        Assert.Equal(("01-01", BridgeProtocol.DoorStates.Closed, TestSupport.Start + OpenDelay + AutoClose), Events()[1]);
        Assert.Contains(new DoorStatus("01-01", BridgeProtocol.DoorStates.Closed), _driver.GetDoors());
    }

    [Fact]
    public async Task CloseDoor_OpenDoor_ReportsClosedOnceAndAutoCloseAddsNothing()
    {
        await OpenAsync("01-02");

        _driver.CloseDoor("01-02");
        _clock.Advance(AutoClose);
        await Task.Delay(50, TestContext.Current.CancellationToken);

        Assert.Equal([BridgeProtocol.DoorStates.Open, BridgeProtocol.DoorStates.Closed], Events().Select(e => e.State));
    }

    [Fact]
    public async Task OpenAsync_JammedDoor_FailsWithoutOpeningAndListsTheFault()
    {
        _driver.Jam("01-01");

        var result = await OpenAsync("01-01");

        Assert.False(result.Opened);
        Assert.Equal(SimulatedLockDriver.JammedDetail, result.Detail);
        Assert.Equal(0, _driver.OpenCount("01-01"));
        Assert.Empty(Events());
        Assert.Contains(_driver.Faults, f => f.Contains("01-01", StringComparison.Ordinal) && f.Contains(SimulatedLockDriver.JammedDetail, StringComparison.Ordinal));

        _driver.Unjam("01-01");
        Assert.True((await OpenAsync("01-01")).Opened);
        Assert.Empty(_driver.Faults);
    }

    [Fact]
    public async Task OpenAsync_ControllerUnreachable_FailsEveryOpen()
    {
        _driver.SetControllerReachable(false);

        var first = await OpenAsync("01-01");
        var second = await OpenAsync("01-02");

        Assert.Equal(new LockOpenResult(false, SimulatedLockDriver.ControllerUnreachableDetail), first);
        Assert.Equal(new LockOpenResult(false, SimulatedLockDriver.ControllerUnreachableDetail), second);
        Assert.Equal(0, _driver.OpenCount("01-01") + _driver.OpenCount("01-02"));
        Assert.Contains(SimulatedLockDriver.ControllerUnreachableDetail, _driver.Faults);
    }

    [Fact]
    public async Task OpenCount_OpenedClosedAndOpenedAgain_CountsTwo()
    {
        await OpenAsync("01-01");
        _driver.CloseDoor("01-01");
        await OpenAsync("01-01");

        Assert.Equal(2, _driver.OpenCount("01-01"));
        Assert.Equal(0, _driver.OpenCount("01-02"));
    }

    [Fact]
    public void GetDoors_ConfiguredCompartments_AreAllClosed()
    {
        Assert.Equal(
            [new DoorStatus("01-01", BridgeProtocol.DoorStates.Closed), new DoorStatus("01-02", BridgeProtocol.DoorStates.Closed)],
            _driver.GetDoors());
    }

    [Fact]
    public void ReturnBinFillPercent_OutOfRange_IsClamped()
    {
        _driver.ReturnBinFillPercent = 140;

        Assert.Equal(100, _driver.ReturnBinFillPercent);
    }

    private async Task<LockOpenResult> OpenAsync(string compartment)
    {
        var open = _driver.OpenAsync(compartment, TestContext.Current.CancellationToken);
        _clock.Advance(OpenDelay);
        return await open.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    private List<(string Compartment, string State, DateTimeOffset At)> Events()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }
}
