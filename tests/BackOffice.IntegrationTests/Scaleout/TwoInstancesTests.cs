using BackOffice.Application.Bridge;
using BackOffice.Application.Occupancy;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using BackOffice.Web.Bridge;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests.Scaleout;

/// <summary>
/// Two app instances on one database and one Redis (docs/decisions/0025), each on its own loopback port, as behind a
/// load balancer: the box is connected to one, staff work on the other.
/// </summary>
public sealed class TwoInstancesTests(TwoInstancesTests.Instances instances) : IClassFixture<TwoInstancesTests.Instances>
{
    private const string Staff = "staff:sachbearbeitung@demo.local";

    private InstanceAppFactory A => instances.A;

    private InstanceAppFactory B => instances.B;

    [Fact]
    public async Task Unlock_IssuedOnB_ReachesTheBridgeConnectedToA()
    {
        await A.StopBridgesAsync();
        var (bridge, driver) = await A.StartOpenBoxAsync();
        var compartment = await A.CompartmentAsync("DLZ-1", "03-04");

        var issue = await B.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason);

        Assert.True(issue.Accepted);
        await WaitUntilAsync(async () => (await B.CommandAsync(issue.CommandId!.Value)).Status == CommandStatus.Opened, "the bridge on A opened the door");
        Assert.Equal(1, driver.OpenCount("03-04"));
        Assert.Equal(0, B.Services.GetRequiredService<BridgeConnections>().LocalCount);
        Assert.True(bridge.IsConnected);
    }

    [Fact]
    public async Task ASignOutOnA_EndsThatSignInsOpenPagesOnB()
    {
        var endedOnB = new TaskCompletionSource<BackOffice.Infrastructure.Identity.EndedSignIn.Signal>(TaskCreationOptions.RunContinuationsAsynchronously);
        var session = BackOffice.Infrastructure.Identity.EndedSignIns.NewSessionId();
        var signInsOnB = B.Services.GetRequiredService<BackOffice.Infrastructure.Identity.EndedSignIns>();
        void Heard(BackOffice.Infrastructure.Identity.EndedSignIn.Signal ended)
        {
            if (ended.SessionId == session)
            {
                endedOnB.TrySetResult(ended);
            }
        }
        signInsOnB.Ended += Heard;
        try
        {
            await A.Services.GetRequiredService<BackOffice.Infrastructure.Identity.EndedSignIns>()
                .EndAsync(session, TimeSpan.FromMinutes(30), "page-signing-out", TestContext.Current.CancellationToken);

            // Only the announcement from A can raise it on B (B's circuits would otherwise see it at their next check),
            // with the page the sign-out came from, whose circuit may be on B.
            Assert.Equal(new BackOffice.Infrastructure.Identity.EndedSignIn.Signal(session, "page-signing-out"),
                await endedOnB.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
            Assert.True(await signInsOnB.HasEndedAsync(session, TestContext.Current.CancellationToken));
        }
        finally
        {
            signInsOnB.Ended -= Heard;
        }
    }

    [Fact]
    public async Task AWaiterOnB_HearsTheOutcome_TheBoxReportedToA()
    {
        await A.StopBridgesAsync();
        await A.StartOpenBoxAsync();
        var compartment = await A.CompartmentAsync("DLZ-1", "03-05");
        var outcomesOnB = B.Services.GetRequiredService<CommandOutcomes>();
        var commandId = Guid.NewGuid();
        // Only the announcement from A can complete this signal (the waiter's own recheck of the database is not in it).
        var signal = outcomesOnB.WhenFinished(commandId);

        var issue = await B.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason, commandId: commandId);

        Assert.True(issue.Accepted);
        var finished = await signal.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(CommandStatus.Opened, finished.Status);
        Assert.False(outcomesOnB.IsWaiting(commandId));
    }

    [Fact]
    public async Task SecondConnection_OfTheBoxOnB_ReplacesTheOneOnA_AndCommandsGoToIt()
    {
        var key = await A.IssueKeyAsync("HOL-1");
        var onA = await A.ConnectRawAsync(key);
        await onA.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("test-a", []), TestContext.Current.CancellationToken);
        var closedOnA = new TaskCompletionSource();
        onA.Closed += _ =>
        {
            closedOnA.TrySetResult();
            return Task.CompletedTask;
        };
        var receivedOnA = new List<UnlockCommand>();
        onA.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, command => receivedOnA.Add(command));

        var onB = await B.ConnectRawAsync(key);
        var receivedOnB = new TaskCompletionSource<UnlockCommand>();
        onB.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, command => receivedOnB.TrySetResult(command));
        await onB.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("test-b", []), TestContext.Current.CancellationToken);

        await closedOnA.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(HubConnectionState.Connected, onB.State);
        var compartment = await A.CompartmentAsync("HOL-1", "02-02");
        var issue = await A.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason);
        var command = await receivedOnB.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(issue.CommandId, command.CommandId);
        Assert.Empty(receivedOnA);
        Assert.Equal(CommandStatus.Delivered, (await A.CommandAsync(issue.CommandId!.Value)).Status);
    }

    [Fact]
    public async Task DoorReportedToA_ReachesTheBoxMonitorOnB()
    {
        var key = await A.IssueKeyAsync("HOL-1");
        var onA = await A.ConnectRawAsync(key);
        await onA.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("test-a", []), TestContext.Current.CancellationToken);
        var compartment = await A.CompartmentAsync("HOL-1", "04-01");
        var monitorOnB = B.Services.GetRequiredService<BoxMonitor>();
        using var feed = (await monitorOnB.WatchBoxAsync(compartment.BoxId, TestContext.Current.CancellationToken))!;
        var at = DateTimeOffset.UtcNow;

        await onA.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor,
            new DoorReport(Guid.NewGuid(), "04-01", BridgeProtocol.DoorStates.Open, at), TestContext.Current.CancellationToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await foreach (var snapshot in feed.ReadChangesAsync(timeout.Token))
        {
            var cell = snapshot.Cells.Single(c => c.Id == compartment.Id);
            // The box's own time, as it said it (the database keeps microseconds only).
            if (cell.Door == DoorState.Open && cell.DoorSince is { } since && (since - at).Duration() < TimeSpan.FromMilliseconds(1))
            {
                return;
            }
        }
        Assert.Fail("B's monitor never showed the door A was told of.");
    }

    [Fact]
    public async Task ABoxArrivingOnB_ShowsWhatAStoredButDiedBeforeAnnouncing()
    {
        var compartment = await A.CompartmentAsync("HOL-1", "03-03");
        var monitorOnB = B.Services.GetRequiredService<BoxMonitor>();
        using var feed = (await monitorOnB.WatchBoxAsync(compartment.BoxId, TestContext.Current.CancellationToken))!;
        Assert.NotEqual(CellState.OutOfService, feed.Current.Cells.Single(c => c.Id == compartment.Id).State);
        // A committed a consequence of the box's reports and was killed before its announcement left (written here
        // around the unit of work, so nothing announces it).
        await using (var db = await A.NewDbContextAsync())
        {
            await db.Compartments.Where(c => c.Id == compartment.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, CompartmentState.OutOfService)
                .SetProperty(c => c.OutOfServiceReason, "written by an instance that died"), TestContext.Current.CancellationToken);
        }

        // The box comes to B (and leaves again: the other tests count B's box connections).
        await using (var onB = await B.ConnectRawAsync(await A.IssueKeyAsync("HOL-1")))
        {
            await onB.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("test-b", []), TestContext.Current.CancellationToken);
        }
        var connections = B.Services.GetRequiredService<BridgeConnections>();
        await WaitUntilAsync(() => Task.FromResult(connections.LocalCount == 0), "the box's connection to B closed");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var snapshot in feed.ReadChangesAsync(timeout.Token))
            {
                if (snapshot.Cells.Single(c => c.Id == compartment.Id).State == CellState.OutOfService)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }
        Assert.Fail("B's monitor never showed what A had stored before it died.");
    }

    /// <summary>A on a database of its own, B on A's; both on one Redis, under a prefix of this class's own.</summary>
    public sealed class Instances : IAsyncLifetime
    {
        private readonly string _prefix = TestRedis.NewPrefix();

        public Instances()
        {
            A = new InstanceAppFactory(_prefix, null);
            B = new InstanceAppFactory(_prefix, A);
        }

        public InstanceAppFactory A { get; }

        public InstanceAppFactory B { get; }

        public async ValueTask InitializeAsync()
        {
            await A.InitializeAsync();
            await B.InitializeAsync();
            // Both running before a test starts: each subscribes to the other's announcements at its start.
            A.StartServer();
            B.StartServer();
        }

        public async ValueTask DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
        }
    }
}

/// <summary>One of several app instances: Redis on; the database its own, or the first instance's.</summary>
public sealed class InstanceAppFactory(string redisPrefix, InstanceAppFactory? databaseOf) : BridgeAppFactory
{
    public override string ConnectionString => databaseOf?.ConnectionString ?? base.ConnectionString;

    /// <summary>As host settings: the app chooses the hub's backplane while it registers its services.</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Redis:Configuration", TestRedis.Configuration);
        builder.UseSetting("Redis:ChannelPrefix", redisPrefix);
    }

    public override ValueTask InitializeAsync() => databaseOf is null ? base.InitializeAsync() : ValueTask.CompletedTask;
}
