using BackOffice.Infrastructure.Identity;
using StackExchange.Redis;

namespace BackOffice.Web.Scaleout;

/// <summary>
/// Sign-outs between app instances (docs/decisions/0025): "Abmelden" on A ends the open pages of that sign-in on B at
/// once, not only at B's next check of its circuits. Announces the sign-in's session id (not a credential: the cookie is
/// what signs in, and this sign-in is over).
/// </summary>
/// <remarks>Singleton hosted service. A lost announcement (Redis away) costs time: B's circuits check again within minutes.</remarks>
internal sealed partial class RedisSignOutRelay(
    RedisConnection redis, EndedSignIns endedSignIns, TimeProvider timeProvider, ILogger<RedisSignOutRelay> logger)
    : BackgroundService
{
    private const string ChannelName = "signouts";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        endedSignIns.RelayTo(ended => _ = PublishAsync(ended));
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        redis.SubscribeAsync(ChannelName, Receive, ex => LogSubscribeFailed(logger, ex), timeProvider, stoppingToken);

    private async Task PublishAsync(EndedSignIn.Signal ended)
    {
        try
        {
            var subscriber = (await redis.GetAsync()).GetSubscriber();
            // With the page the sign-out came from: its circuit may live on another instance than the one that took the post.
            await subscriber.PublishAsync(redis.Channel(ChannelName), $"{redis.InstanceId} {ended.SessionId} {ended.SigningOutPage ?? "-"}");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, ex);
        }
    }

    private void Receive(RedisValue message)
    {
        if (((string?)message)?.Split(' ') is [var origin, var session, var page] && origin != redis.InstanceId)
        {
            endedSignIns.EndedElsewhere(new EndedSignIn.Signal(session, page == "-" ? null : page));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not subscribe to the other instances' sign-outs; trying again")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-out could not be announced to the other instances; their open pages end at their next check")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
