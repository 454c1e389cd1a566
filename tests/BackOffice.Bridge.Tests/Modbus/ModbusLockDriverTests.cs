using System.Collections.Concurrent;
using BackOffice.Bridge.Contracts;
using BackOffice.Bridge.Modbus;
using BackOffice.Testing;
using BackOffice.Testing.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Bridge.Tests.Modbus;

/// <summary>The Modbus driver against a real Modbus TCP server (pymodbus) laid out like a small box: 2 modules × 4 rows.</summary>
public sealed class ModbusLockDriverTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = [];
    private readonly ConcurrentQueue<(string Compartment, string State)> _events = new();
    private ModbusBoxServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ModbusBoxServer.StartTcpAsync();

    public async ValueTask DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
        await _server.DisposeAsync();
    }

    /// <summary>Module m, row r on unit m, coil and door input r − 1; ON = door closed.</summary>
    internal static BoxMap SmallBox(BoxMapFillLevel? returnBin = null, int failedPolls = 2) =>
        new BoxMapGenerator { Modules = 2, Rows = 4, Pulse = TimeSpan.FromMilliseconds(100) }.Generate() with
        {
            ReturnBin = returnBin,
            ControllerLost = new BoxMapControllerLost { ResponseTimeout = TimeSpan.FromMilliseconds(300), FailedPolls = failedPolls },
        };

    internal static ModbusOptions FastOptions(Action<ModbusOptions>? change = null)
    {
        var options = new ModbusOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(50),
            DoorDebounce = TimeSpan.FromMilliseconds(50),
            OpenTimeout = TimeSpan.FromSeconds(2),
        };
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task OpenAsync_DoorInputGoesOpen_PulsesTheRightCoilAndReportsOpened()
    {
        var driver = await StartDriverAsync(SmallBox());

        var open = driver.OpenAsync("02-03", TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(async () => (await _server.CoilWritesAsync(2)).Contains("2=1", StringComparison.Ordinal), "coil 2 of unit 2 switched on");
        Assert.False(open.IsCompleted); // "Opened" waits for the door, not for the coil.
        await _server.SetInputAsync(2, 2, on: false); // the door springs open

        Assert.Equal(new LockOpenResult(true, null), await open.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await Eventually.WaitUntilAsync(async () => await _server.CoilWritesAsync(2) == "2=1 2=0", "the pulse ended");
        Assert.Equal("-", await _server.CoilWritesAsync(1));
        Assert.False(await _server.CoilAsync(2, 2));
        Assert.Equal([("02-03", BridgeProtocol.DoorStates.Open)], _events);
        Assert.Contains(new DoorStatus("02-03", BridgeProtocol.DoorStates.Open), driver.GetDoors());
    }

    [Fact]
    public async Task OpenAsync_DoorStaysShut_FailsWithAReasonStaffUnderstandAndAFaultOfThatCompartment()
    {
        var driver = await StartDriverAsync(SmallBox(), FastOptions(o => o.OpenTimeout = TimeSpan.FromMilliseconds(600)));

        var result = await driver.OpenAsync("01-02", TestContext.Current.CancellationToken);

        Assert.Equal(new LockOpenResult(false, ModbusLockDriver.DoorDidNotOpenDetail), result);
        Assert.Equal("1=1 1=0", await _server.CoilWritesAsync(1));
        Assert.Equal(["Fach 01-02: Tür hat nicht geöffnet"], driver.Faults);
        await _server.SetInputAsync(1, 1, on: false); // opened by hand later: the fault clears
        await Eventually.WaitUntilAsync(() => driver.Faults.Count == 0, "the fault cleared");
    }

    [Fact]
    public async Task Poll_DoorClosedInTheDatastore_BecomesOneDoorEventAfterTheDebounce()
    {
        await _server.SetInputAsync(1, 3, on: false); // 01-04 open from the start
        var driver = await StartDriverAsync(SmallBox());
        Assert.Contains(new DoorStatus("01-04", BridgeProtocol.DoorStates.Open), driver.GetDoors());
        Assert.Equal(8, driver.GetDoors().Count);

        await _server.SetInputAsync(1, 3, on: true);
        await Eventually.WaitUntilAsync(() => !_events.IsEmpty, "a door event");
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal([("01-04", BridgeProtocol.DoorStates.Closed)], _events);
    }

    [Fact]
    public async Task Poll_InputBouncingShorterThanTheDebounce_IsNoDoorEvent()
    {
        var driver = await StartDriverAsync(SmallBox(), FastOptions(o => o.DoorDebounce = TimeSpan.FromSeconds(1)));

        await _server.SetInputAsync(1, 0, on: false);
        await Task.Delay(200, TestContext.Current.CancellationToken); // several polls see it open, but not for a second
        await _server.SetInputAsync(1, 0, on: true);
        await Task.Delay(1300, TestContext.Current.CancellationToken);

        Assert.Empty(_events);
        Assert.Contains(new DoorStatus("01-01", BridgeProtocol.DoorStates.Closed), driver.GetDoors());
    }

    [Fact]
    public async Task ServerStoppedMidOperation_FailsTheUnlockRaisesTheFaultFailsTheNextAtOnceAndNeverOpensLate()
    {
        await _server.SetInputAsync(1, 0, on: false); // 01-01 open when the controller is lost
        var driver = await StartDriverAsync(SmallBox());
        var open = driver.OpenAsync("02-01", TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(async () => (await _server.CoilWritesAsync(2)).Contains("0=1", StringComparison.Ordinal), "the pulse started");

        await _server.KillAsync();

        Assert.Equal(new LockOpenResult(false, ModbusLockDriver.ControllerUnreachableDetail), await open.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await Eventually.WaitUntilAsync(() => driver.Faults.Contains(ModbusLockDriver.ControllerUnreachableDetail), "the box fault");
        var duringFault = driver.OpenAsync("02-02", TestContext.Current.CancellationToken);
        Assert.True(duringFault.IsCompleted); // at once, not after a timeout
        Assert.Equal(new LockOpenResult(false, ModbusLockDriver.ControllerUnreachableDetail), await duringFault);

        await _server.StartAsync(); // answers again, fresh datastore: every door closed
        await Eventually.WaitUntilAsync(() => driver.Faults.Count == 0, "the fault cleared");

        Assert.DoesNotContain("=1", await _server.CoilWritesAsync(2), StringComparison.Ordinal); // nothing executed late
        Assert.Contains(("01-01", BridgeProtocol.DoorStates.Closed), _events); // changed while lost: re-read and reported
        Assert.Contains(new DoorStatus("01-01", BridgeProtocol.DoorStates.Closed), driver.GetDoors());
    }

    [Fact]
    public async Task ServerFrozen_UnlockFailsAndTheRequestIsNotExecutedWhenTheServerWakesUp()
    {
        var driver = await StartDriverAsync(SmallBox());
        _server.Pause(true); // the kernel still accepts the request; the server cannot answer it

        var result = await driver.OpenAsync("01-03", TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => driver.Faults.Contains(ModbusLockDriver.ControllerUnreachableDetail), "the box fault");
        _server.Pause(false);
        await Eventually.WaitUntilAsync(() => driver.Faults.Count == 0, "the fault cleared");

        Assert.Equal(new LockOpenResult(false, ModbusLockDriver.ControllerUnreachableDetail), result);
        // The request sat unanswered in the frozen server's socket; the reset after the timeout discarded it, so the
        // server never executed it, not even for a moment before the bridge's switch-off after the recovery.
        Assert.DoesNotContain("2=1", await _server.CoilWritesAsync(1), StringComparison.Ordinal);
        Assert.False(await _server.CoilAsync(1, 2));
        Assert.Empty(_events);
    }

    [Fact]
    public async Task BadFrames_AFewAreToleratedAndManyAreTheControllerLostUntilItAnswersCleanlyAgain()
    {
        var driver = await StartDriverAsync(SmallBox(failedPolls: 3));

        await _server.CorruptAnswersAsync(1);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(driver.Faults);

        await _server.CorruptAnswersAsync(10);
        await Eventually.WaitUntilAsync(() => driver.Faults.Contains(ModbusLockDriver.ControllerUnreachableDetail), "the box fault");
        await Eventually.WaitUntilAsync(() => driver.Faults.Count == 0, "the fault cleared once answers are valid");
        var open = driver.OpenAsync("01-01", TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(async () => (await _server.CoilWritesAsync(1)).Contains("0=1", StringComparison.Ordinal), "the pulse");
        await _server.SetInputAsync(1, 0, on: false);
        Assert.True((await open).Opened);
    }

    [Fact]
    public async Task ExceptionResponses_AreRefusalsOfAReachableControllerNotALostOne()
    {
        // Compartment 09-09 is wired to a coil and an input the node does not have (it answers exception 2).
        var map = SmallBox() with
        {
            Compartments = [.. SmallBox().Compartments, new BoxMapCompartment("09-09", 2, 100, 100, TimeSpan.FromMilliseconds(100))],
        };
        var driver = await StartDriverAsync(map, expectNoFault: false);

        var result = await driver.OpenAsync("09-09", TestContext.Current.CancellationToken);

        Assert.Equal(new LockOpenResult(false, "Steuerung lehnt ab: Adresse nicht vorhanden (Modbus-Ausnahme 2)"), result);
        Assert.Equal(["E/A-Knoten 2: Türkontakte nicht lesbar (Adresse nicht vorhanden, Modbus-Ausnahme 2)"], driver.Faults);
        Assert.DoesNotContain(driver.GetDoors(), d => d.Compartment == "09-09");
        Assert.Equal(8, driver.GetDoors().Count); // the rest of the node still reads
    }

    [Fact]
    public async Task ReturnBin_FillLevelIsReadFromTheInputRegister()
    {
        await _server.SetInputRegisterAsync(1, 0, 750);
        var driver = await StartDriverAsync(SmallBox(new BoxMapFillLevel(1, 0, EmptyValue: 0, FullValue: 1000)));

        Assert.Equal(75, driver.ReturnBinFillPercent);
        await _server.SetInputRegisterAsync(1, 0, 1200);
        await Eventually.WaitUntilAsync(() => driver.ReturnBinFillPercent == 100, "clamped to 100 %");
    }

    [Fact]
    public async Task OpenAsync_UnknownCompartment_FailsWithoutTouchingAnyCoil()
    {
        var driver = await StartDriverAsync(SmallBox());

        Assert.Equal(new LockOpenResult(false, ModbusLockDriver.NotWiredDetail), await driver.OpenAsync("07-07", TestContext.Current.CancellationToken));
        Assert.Equal("-", await _server.CoilWritesAsync(1));
        Assert.Equal("-", await _server.CoilWritesAsync(2));
    }

    private async Task<ModbusLockDriver> StartDriverAsync(BoxMap map, ModbusOptions? options = null, bool expectNoFault = true)
    {
        var transport = new ModbusTcpTransport("127.0.0.1", _server.Port, map.ControllerLost.ResponseTimeout, TimeProvider.System);
        var driver = new ModbusLockDriver(map, transport, options ?? FastOptions(), TimeProvider.System, NullLogger<ModbusLockDriver>.Instance);
        _cleanup.Add(driver);
        driver.DoorChanged += (compartment, state, _) => _events.Enqueue((compartment, state));
        await driver.StartAsync(TestContext.Current.CancellationToken);
        if (expectNoFault)
        {
            Assert.Empty(driver.Faults);
        }
        return driver;
    }
}
