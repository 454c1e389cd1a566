using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>The box monitor behind the dashboards, with the real hub and bridge: snapshots, live updates, silence.</summary>
public class OccupancyTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    [Fact]
    public async Task Watcher_GetsTheDoorOpeningAndTheLoading_AsNewSnapshots()
    {
        await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var monitor = app.Services.GetRequiredService<BoxMonitor>();
        var box = (await monitor.FindBoxAsync("DLZ-1"))!.Value;
        using var feed = (await monitor.WatchBoxAsync(box))!;
        var snapshot = feed.Current;
        Assert.Equal(620, snapshot.Cells.Count);
        var target = snapshot.Cells.Single(c => c.Label == "07-09");
        Assert.Equal(CellState.Free, target.State);

        var issue = await app.Commands.IssueUnlockAsync(target.Id, CommandPurpose.Service, "staff:test", reason: ServiceReason);
        Assert.True(issue.Accepted);

        var seen = new List<CellState>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var previous = snapshot;
        await foreach (var later in feed.ReadChangesAsync(timeout.Token))
        {
            // A new snapshot shares the cells that did not change with the one before (one door moved here).
            Assert.InRange(later.Cells.Count(c => !ReferenceEquals(previous.Find(c.Id), c)), 0, 2);
            previous = later;
            seen.Add(later.Find(target.Id)!.State);
            if (seen.Contains(CellState.DoorOpen) && seen[^1] == CellState.Free)
            {
                break;
            }
        }

        var ready = await ReadyDocuments.CreateAsync(app, "T22000129", "N");
        // The monitor follows the database within its batching window.
        CompartmentCell loaded = null!;
        await WaitUntilAsync(async () =>
        {
            loaded = (await monitor.SnapshotAsync(box))!.Cells.Single(c => c.Label == ready.Label);
            return loaded.State is CellState.Ready or CellState.DueSoon;
        }, "the loaded compartment shows ready");
        Assert.Equal(1, loaded.Documents);
        Assert.DoesNotContain(ready.Id.ToString(), loaded.MaskedDocumentNumber ?? "", StringComparison.Ordinal);
        Assert.StartsWith("*", loaded.MaskedDocumentNumber, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_ShowsABoxOffline_OnceItsHeartbeatIsOlderThanTheTimeout()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var (bridge, _) = await app.StartBridgeAsync(key);
        var monitor = app.Services.GetRequiredService<BoxMonitor>();
        using var feed = await monitor.WatchOverviewAsync();
        // The bridge's hello reaches the overview within the monitor's batching window, not at once.
        using (var online = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            if (!feed.Current.Single(b => b.Code == "HOL-1").Online)
            {
                await foreach (var overview in feed.ReadChangesAsync(online.Token))
                {
                    if (overview.Single(b => b.Code == "HOL-1").Online)
                    {
                        break;
                    }
                }
            }
        }

        await bridge.DisposeAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(2));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var overview in feed.ReadChangesAsync(timeout.Token))
        {
            if (!overview.Single(b => b.Code == "HOL-1").Online)
            {
                break;
            }
        }
        Assert.False((await monitor.OverviewAsync()).Single(b => b.Code == "HOL-1").Online);
    }

    [Fact]
    public async Task AFeedEnds_WhenThePageDisposesIt()
    {
        var monitor = app.Services.GetRequiredService<BoxMonitor>();
        var box = (await monitor.FindBoxAsync("DLZ-1"))!.Value;
        var before = monitor.WatcherCount;

        var overview = await monitor.WatchOverviewAsync();
        var dashboard = (await monitor.WatchBoxAsync(box))!;
        Assert.Equal(before + 2, monitor.WatcherCount);
        overview.Dispose();
        dashboard.Dispose();
        dashboard.Dispose();

        Assert.Equal(before, monitor.WatcherCount);
        Assert.True(overview.Ended && dashboard.Ended);
        Assert.Null(await monitor.WatchBoxAsync(Guid.NewGuid()));
    }
}
