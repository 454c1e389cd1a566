using BackOffice.Domain.Boxes;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests.Scaleout;

/// <summary>
/// An instance configured for several instances whose Redis is not there (docs/decisions/0025): it starts and serves,
/// and nothing is called delivered that was not.
/// </summary>
public sealed class RedisAwayTests(RedisAwayTests.AppWithoutItsRedis app) : IClassFixture<RedisAwayTests.AppWithoutItsRedis>
{
    [Fact]
    public async Task RedisAway_TheAppServes_AndAnUnlockIsNeverCalledDelivered()
    {
        using var client = app.CreateClient();
        Assert.True((await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken)).IsSuccessStatusCode);
        var compartment = await app.CompartmentAsync("DLZ-1", "01-02");
        await using (var db = await app.NewDbContextAsync())
        {
            // Online by its heartbeat, as a box that was connected a moment ago.
            await db.Boxes.Where(b => b.Id == compartment.BoxId)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.LastHeartbeatAt, app.Clock.GetUtcNow()), TestContext.Current.CancellationToken);
        }

        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, "staff:test", TestContext.Current.CancellationToken, ServiceReason);

        Assert.True(issue.Accepted);
        Assert.Equal(CommandStatus.Pending, (await app.CommandAsync(issue.CommandId!.Value)).Status);
    }

    /// <summary>Redis configured on a loopback port where nothing listens.</summary>
    public sealed class AppWithoutItsRedis : BridgeAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Redis:Configuration", "127.0.0.1:1,connectTimeout=500,syncTimeout=1000,asyncTimeout=1000");
            builder.UseSetting("Redis:ChannelPrefix", "redis-away");
        }
    }
}
