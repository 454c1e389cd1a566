using System.IO.Ports;
using BackOffice.Bridge.Modbus;
using BackOffice.Testing;
using BackOffice.Testing.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Bridge.Tests.Modbus;

/// <summary>Modbus RTU through System.IO.Ports on one end of a socat pseudo-terminal pair, pymodbus's RTU server on the other.</summary>
public sealed class ModbusRtuTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private PtyPair _pty = null!;
    private ModbusBoxServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _pty = await PtyPair.StartAsync(_directory.Path);
        _server = await ModbusBoxServer.StartRtuAsync(_pty.ServerEnd);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _pty.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Unlock_OverRtu_PulsesTheCoilAndOpenedFollowsTheDoorInput()
    {
        var map = ModbusLockDriverTests.SmallBox();
        await using var driver = new ModbusLockDriver(map, Transport(map), ModbusLockDriverTests.FastOptions(), TimeProvider.System, NullLogger<ModbusLockDriver>.Instance);
        await driver.StartAsync(TestContext.Current.CancellationToken);
        Assert.Empty(driver.Faults);
        Assert.Equal(8, driver.GetDoors().Count);

        var open = driver.OpenAsync("01-04", TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(async () => (await _server.CoilWritesAsync(1)).Contains("3=1", StringComparison.Ordinal), "coil 3 of unit 1 switched on");
        await _server.SetInputAsync(1, 3, on: false);

        Assert.Equal(new LockOpenResult(true, null), await open.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await Eventually.WaitUntilAsync(async () => await _server.CoilWritesAsync(1) == "3=1 3=0", "the pulse ended");
    }

    [Fact]
    public async Task Client_AnswerWithBadCrc_IsACommunicationErrorAndTheNextExchangeWorks()
    {
        var map = ModbusLockDriverTests.SmallBox();
        await using var transport = Transport(map);
        var client = new ModbusClient(transport);
        await _server.SetInputAsync(2, 1, on: false);

        await _server.CorruptAnswersAsync(1);
        var error = await Assert.ThrowsAsync<ModbusCommunicationException>(() => client.ReadDiscreteInputsAsync(2, 0, 4, TestContext.Current.CancellationToken));
        var inputs = await client.ReadDiscreteInputsAsync(2, 0, 4, TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<ModbusExceptionResponse>(() => client.WriteSingleCoilAsync(2, 500, true, TestContext.Current.CancellationToken));

        Assert.Contains("CRC", error.Message, StringComparison.Ordinal);
        Assert.Equal([true, false, true, true], inputs);
        Assert.Equal(2, refused.Code);
    }

    private ModbusRtuTransport Transport(BoxMap map) =>
        new(new ModbusRtuLine(_pty.BridgeEnd, 19200, Parity.None, StopBits.One), map.ControllerLost.ResponseTimeout, TimeProvider.System);
}
