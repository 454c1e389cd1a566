using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Bridge;
using BackOffice.Domain.Boxes;
using BackOffice.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.IntegrationTests.Infrastructure;

/// <summary>
/// The real app on a loopback port (Kestrel, real WebSockets) with a clock the tests move, for the real bridge code.
/// </summary>
public class BridgeAppFactory : BackOfficeAppFactory
{
    private readonly List<IAsyncDisposable> _bridges = [];
    private readonly Dictionary<string, BridgeClient> _runningBridgeByKey = [];
    private readonly TempDirectory _queues = new();

    /// <summary>Service openings need a reason.</summary>
    public const string ServiceReason = "Prüfung im Test";

    public BridgeAppFactory() => UseKestrel(0);

    /// <summary>The server's clock. Only GetUtcNow is controlled; timers run on real time.</summary>
    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string ServerUrl =>
        Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>
    /// The demo boxes open around the clock (the seed's opening hours would make pickups depend on the hour the tests
    /// run at) and DLZ-1's bridge connected, for tests of what happens at the box.
    /// </summary>
    public async Task<(BridgeClient Bridge, SimulatedLockDriver Lock)> StartOpenBoxAsync()
    {
        await using (var db = await NewDbContextAsync())
        {
            await db.Boxes.ExecuteUpdateAsync(s => s.SetProperty(b => b.OpenAroundTheClock, true));
        }
        return await StartBridgeAsync(BackOffice.Infrastructure.Seeding.DemoBoxes.DevelopmentBridgeKeyDlz1);
    }

    public async Task<(BridgeClient Bridge, SimulatedLockDriver Lock)> StartBridgeAsync(
        string boxKey, SimulatedLockOptions? lockOptions = null, string? queueName = null, TimeSpan? heartbeatInterval = null)
    {
        StartServer();
        // One bridge per box, as on a real box: two would keep replacing each other's connection.
        if (_runningBridgeByKey.Remove(boxKey, out var previous))
        {
            await previous.DisposeAsync();
        }
        var driver = new SimulatedLockDriver(TimeProvider.System, lockOptions ?? new SimulatedLockOptions
        {
            OpenDelay = TimeSpan.FromMilliseconds(30),
            AutoCloseAfter = TimeSpan.FromMilliseconds(200),
        });
        var bridge = new BridgeClient(new BridgeOptions
        {
            ServerUrl = ServerUrl,
            BoxKey = boxKey,
            QueuePath = _queues.File($"{queueName ?? Guid.NewGuid().ToString("N")}.jsonl"),
            HeartbeatInterval = heartbeatInterval ?? TimeSpan.FromSeconds(1),
            ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500)],
            LockDriver = BridgeOptions.SimulatorDriver,
        }, driver, TimeProvider.System, NullLogger<BridgeClient>.Instance);
        _bridges.Add(bridge);
        _runningBridgeByKey[boxKey] = bridge;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await bridge.StartAsync(timeout.Token);
        return (bridge, driver);
    }

    /// <summary>Stops every bridge the class's earlier tests started, so no heartbeat of theirs reaches this test.</summary>
    public async Task StopBridgesAsync()
    {
        foreach (var bridge in _runningBridgeByKey.Values)
        {
            await bridge.DisposeAsync();
        }
        _runningBridgeByKey.Clear();
    }

    /// <summary>A bare SignalR connection with a box key, to send exactly what a test wants (also malformed payloads).</summary>
    public async Task<HubConnection> ConnectRawAsync(string boxKey)
    {
        StartServer();
        var connection = BoxHubConnection.Create(ServerUrl, boxKey, TimeSpan.FromSeconds(1), NullLogger.Instance);
        _bridges.Add(connection);
        await connection.StartAsync();
        return connection;
    }

    /// <summary>Issues a fresh key for a box, as an admin would.</summary>
    public async Task<string> IssueKeyAsync(string boxCode)
    {
        var boxes = Services.GetRequiredService<BoxAdministration>();
        var box = (await boxes.ListAsync()).Single(b => b.Code == boxCode);
        return (await boxes.IssueBridgeKeyAsync(box.Id, "staff:test"))!;
    }

    public async Task<Compartment> CompartmentAsync(string boxCode, string label)
    {
        await using var db = await NewDbContextAsync();
        return await db.Compartments.AsNoTracking()
            .SingleAsync(c => c.Label == label && db.Boxes.Any(b => b.Id == c.BoxId && b.Code == boxCode));
    }

    public async Task<BridgeCommand> CommandAsync(Guid id)
    {
        await using var db = await NewDbContextAsync();
        return await db.BridgeCommands.AsNoTracking().SingleAsync(c => c.Id == id);
    }


    public BridgeCommandService Commands => Services.GetRequiredService<BridgeCommandService>();

    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Eventually.WaitUntilAsync(condition, what);

    public override async ValueTask DisposeAsync()
    {
        foreach (var bridge in _bridges)
        {
            try
            {
                await bridge.DisposeAsync();
            }
            catch (Exception)
            {
                // Already gone (a test killed it on purpose).
            }
        }
        await base.DisposeAsync();
        _queues.Dispose();
        GC.SuppressFinalize(this);
    }
}
