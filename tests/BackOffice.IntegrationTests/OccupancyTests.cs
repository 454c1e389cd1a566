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
    public async Task Subscriber_GetsTheDoorOpeningAndTheLoading_AsUpdatesOnTopOfTheSnapshot()
    {
        await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var monitor = app.Services.GetRequiredService<BoxMonitor>();
        var box = (await monitor.FindBoxAsync("DLZ-1"))!.Value;
        using var subscription = monitor.Subscribe(box);
        var snapshot = (await monitor.SnapshotAsync(box))!;
        Assert.Equal(620, snapshot.Cells.Count);
        var target = snapshot.Cells.Single(c => c.Label == "07-09");
        Assert.Equal(CellState.Free, target.State);

        var issue = await app.Commands.IssueUnlockAsync(target.Id, CommandPurpose.Service, "staff:test", reason: ServiceReason);
        Assert.True(issue.Accepted);

        var seen = new List<CellState>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(seen.Contains(CellState.DoorOpen) && seen.LastOrDefault() == CellState.Free))
        {
            var update = await subscription.Updates.ReadAsync(timeout.Token);
            seen.AddRange(update.Cells.Where(c => c.Id == target.Id).Select(c => c.State));
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
        using var subscription = monitor.Subscribe(boxId: null);
        Assert.True((await monitor.OverviewAsync()).Single(b => b.Code == "HOL-1").Online);

        await bridge.DisposeAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(2));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        BoxOccupancy? hol;
        do
        {
            var update = await subscription.Updates.ReadAsync(timeout.Token);
            hol = update.Box.Code == "HOL-1" ? update.Box : null;
            Assert.Empty(update.Cells); // the overview gets summaries only
        }
        while (hol is null || hol.Online);
        Assert.False((await monitor.OverviewAsync()).Single(b => b.Code == "HOL-1").Online);
    }

    [Fact]
    public async Task SubscriptionEnds_WhenThePageDisposesIt()
    {
        var monitor = app.Services.GetRequiredService<BoxMonitor>();
        var before = monitor.SubscriberCount;

        var subscription = monitor.Subscribe(boxId: null);
        Assert.Equal(before + 1, monitor.SubscriberCount);
        subscription.Dispose();

        Assert.Equal(before, monitor.SubscriberCount);
        Assert.True(subscription.Updates.Completion.IsCompleted);
    }
}
