using BackOffice.Bridge;
using BackOffice.Infrastructure.Seeding;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Benchmarks;

/// <summary>DLZ-1 with the real bridge code and the lock simulator, connected to the app at a URL.</summary>
internal sealed class SimulatedBox : IAsyncDisposable
{
    // The bridge's journal lives on the box's own computer: on the back office's disk its flushes would queue with
    // PostgreSQL's commits (a latency the back office does not have in production), so it goes to memory where it can.
    private readonly string _queue = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"bench-bridge-{Guid.NewGuid():N}.jsonl");
    private readonly SimulatedLockDriver _driver;

    public SimulatedBox(BenchmarkApp app, TimeSpan? doorClosesAfter)
        : this(app.ServerUrl, doorClosesAfter)
    {
    }

    /// <param name="serverUrl">The back office the bridge connects to.</param>
    /// <param name="doorClosesAfter">Null: a door stays open until <see cref="SimulatedLockDriver.CloseDoor"/>.</param>
    public SimulatedBox(string serverUrl, TimeSpan? doorClosesAfter)
    {
        _driver = new SimulatedLockDriver(TimeProvider.System, new SimulatedLockOptions
        {
            OpenDelay = TimeSpan.Zero,
            AutoCloseAfter = doorClosesAfter,
        });
        Bridge = new BridgeClient(new BridgeOptions
        {
            ServerUrl = serverUrl,
            BoxKey = DemoBoxes.DevelopmentBridgeKeyDlz1,
            QueuePath = _queue,
            LockDriver = BridgeOptions.SimulatorDriver,
        }, _driver, TimeProvider.System, NullLogger<BridgeClient>.Instance);
    }

    public BridgeClient Bridge { get; }

    /// <summary>The simulated lock: its door events are what the bridge reports.</summary>
    public SimulatedLockDriver Lock => _driver;

    public async ValueTask DisposeAsync()
    {
        await Bridge.StopAsync(CancellationToken.None);
        await Bridge.DisposeAsync();
        _driver.Dispose();
        File.Delete(_queue);
    }
}
