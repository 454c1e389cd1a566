using BackOffice.Application.Occupancy;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Documents;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>
/// The dashboard's charts and its counters count the same pickups: after two pickups today both say 2, and the time
/// from loading to pickup of a quick pickup is under an hour (the page shows it in minutes).
/// </summary>
public class OccupancyStatisticsTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    [Fact]
    public async Task PickupsToday_AreTheSameInTheChartAndInTheSummary()
    {
        var (bridge, _) = await app.StartOpenBoxAsync();
        var monitor = app.Services.GetRequiredService<BoxMonitor>();
        var statistics = app.Services.GetRequiredService<OccupancyStatistics>();
        var box = (await monitor.FindBoxAsync("DLZ-1"))!.Value;
        var before = (await statistics.ForBoxAsync(box, cancellationToken: TestContext.Current.CancellationToken))!;

        foreach (var oldNumber in new[] { "T22000129", "T22000130" })
        {
            var ready = await ReadyDocuments.CreateAsync(app, oldNumber);
            var response = await bridge.RequestPickupAsync(
                new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, oldNumber, null), TestContext.Current.CancellationToken);
            Assert.True(response.Granted, response.Message);
            await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.PickedUp, "the document is handed over");
        }

        var summary = default(BoxOccupancy);
        await WaitUntilAsync(async () =>
        {
            summary = (await monitor.SnapshotAsync(box, TestContext.Current.CancellationToken))!.Box;
            return summary.PickupsToday == (int)before.PickupsPerDay[^1].Value + 2;
        }, "the summary counts both pickups");
        var after = (await statistics.ForBoxAsync(box, cancellationToken: TestContext.Current.CancellationToken))!;
        Assert.Equal(summary!.PickupsToday, (int)after.PickupsPerDay[^1].Value);
        Assert.Equal(before.Pickups + 2, after.Pickups);
        Assert.True(after.AverageLoadToPickup < TimeSpan.FromHours(1), $"Average {after.AverageLoadToPickup}");
    }
}
