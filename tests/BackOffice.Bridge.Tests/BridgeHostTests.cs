using BackOffice.Bridge.Contracts;
using BackOffice.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BackOffice.Bridge.Tests;

/// <summary>The bridge process's own composition (<see cref="BridgeHostingExtensions.AddBoxBridge"/>) against the fake hub.</summary>
public sealed class BridgeHostTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly FakeBackOffice _backOffice = new();

    public async ValueTask InitializeAsync() => await _backOffice.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _backOffice.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Host_Started_SaysHelloExecutesAnUnlockReportsItAndStopsGracefully()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bridge:ServerUrl"] = _backOffice.Url,
            ["Bridge:BoxKey"] = FakeBackOffice.Key,
            ["Bridge:LockDriver"] = BridgeOptions.SimulatorDriver,
            ["Bridge:QueuePath"] = _directory.File("queue.jsonl"),
            ["Simulator:OpenDelay"] = "00:00:00.010",
        });
        builder.AddBoxBridge();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => host.Services.GetRequiredService<PickupDesk>().IsConnected, "connected");
        var command = new UnlockCommand(Guid.NewGuid(), "01-01", BridgeProtocol.Purposes.Load, DateTimeOffset.UtcNow.AddMinutes(1));
        await _backOffice.SendUnlockAsync(command);
        await Eventually.WaitUntilAsync(() => !_backOffice.Results.IsEmpty, "result");
        // Stopped while the server's answer to the report is on its way, the bridge would rightly send it again later
        // (results are idempotent): stop once the journal holds nothing unanswered, so one report is what was sent.
        var journal = host.Services.GetRequiredService<BridgeJournal>();
        await Eventually.WaitUntilAsync(() => journal.UnsentCount == 0, "the server's answer to the report");
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Single(_backOffice.Hellos);
        Assert.Equal(new CommandResultReport(command.CommandId, BridgeProtocol.Outcomes.Opened, null), Assert.Single(_backOffice.Results));
        Assert.Contains(_backOffice.Doors, d => d.Compartment == "01-01" && d.State == BridgeProtocol.DoorStates.Open);
    }
}
