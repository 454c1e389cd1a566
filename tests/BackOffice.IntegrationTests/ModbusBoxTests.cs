using BackOffice.Bridge;
using BackOffice.Bridge.Modbus;
using BackOffice.Domain.Boxes;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using BackOffice.Testing.Modbus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>
/// A box built from standard I/O modules, end to end: the real back office on a loopback port, the bridge composed as
/// its process is (<c>Bridge:LockDriver = Modbus</c>), and a real Modbus TCP server (Debian's python3-pymodbus) standing
/// in for the I/O modules. What the door contacts say reaches the back office's compartments and dashboard.
/// </summary>
public sealed class ModbusBoxTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>, IAsyncLifetime
{
    private const string Staff = "staff:teamleitung@demo.local";
    private readonly TempDirectory _directory = new();
    private ModbusBoxServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ModbusBoxServer.StartTcpAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task ServiceOpening_PulsesTheCoil_AndTheDoorContactsReachTheDashboard()
    {
        var ct = TestContext.Current.CancellationToken;
        using var bridge = await StartModbusBridgeAsync(await app.IssueKeyAsync("HOL-1"));
        var compartment = await app.CompartmentAsync("HOL-1", "02-03");
        var monitor = app.Services.GetRequiredService<BackOffice.Application.Occupancy.BoxMonitor>();

        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, ct, ServiceReason);
        Assert.True(issue.Accepted, issue.Refusal?.ToString());
        await Eventually.WaitUntilAsync(async () => (await _server.CoilWritesAsync(2)).Contains("2=1", StringComparison.Ordinal), "the lock's coil is switched on");
        await _server.SetInputAsync(2, 2, on: false); // the door springs open

        await WaitUntilAsync(async () => (await app.CommandAsync(issue.CommandId!.Value)).Status == CommandStatus.Opened, "the box reports the door opened");
        await WaitUntilAsync(async () => (await DashboardCellAsync(monitor, compartment)).Door == DoorState.Open, "the dashboard shows the door open");
        await _server.SetInputAsync(2, 2, on: true); // someone shuts it
        await WaitUntilAsync(async () => (await DashboardCellAsync(monitor, compartment)).Door == DoorState.Closed, "the dashboard shows it closed");

        Assert.Equal("2=1 2=0", await _server.CoilWritesAsync(2));
        Assert.Equal(DoorState.Closed, (await app.CompartmentAsync("HOL-1", "02-03")).DoorState);
        Assert.Null((await app.CompartmentAsync("HOL-1", "02-03")).CheckRequiredSince);
    }

    [Fact]
    public async Task DoorOpenedAtTheModulesWithoutACommand_AsksStaffToCheckTheCompartment()
    {
        using var bridge = await StartModbusBridgeAsync(await app.IssueKeyAsync("HOL-1"));

        await _server.SetInputAsync(1, 3, on: false); // 01-04 (unit 1, input 3): forced open, or a lock that let go

        await WaitUntilAsync(async () => (await app.CompartmentAsync("HOL-1", "01-04")).CheckRequiredSince is not null, "the compartment waits for a check");
    }

    private static async Task<BackOffice.Application.Occupancy.CompartmentCell> DashboardCellAsync(
        BackOffice.Application.Occupancy.BoxMonitor monitor, Compartment compartment) =>
        (await monitor.SnapshotAsync(compartment.BoxId))!.Cells.Single(c => c.Id == compartment.Id);

    private async Task<IHost> StartModbusBridgeAsync(string key)
    {
        var mapPath = _directory.File($"box-map-{Guid.NewGuid():N}.json");
        // Two modules of four rows: labels 01-01 … 02-04, which HOL-1 has.
        var map = new BoxMapGenerator { Modules = 2, Rows = 4, Pulse = TimeSpan.FromMilliseconds(100) }.Generate();
        await File.WriteAllTextAsync(mapPath, map.ToJson(), TestContext.Current.CancellationToken);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(
            _server.BridgeTimingOptions(app.ServerUrl, key, mapPath, _directory.File($"queue-{Guid.NewGuid():N}.jsonl")));
        builder.AddBoxBridge();
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => host.Services.GetRequiredService<PickupDesk>().IsConnected, "the Modbus box is connected");
        return host;
    }
}
