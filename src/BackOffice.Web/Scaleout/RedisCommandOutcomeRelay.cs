using BackOffice.Application.Bridge;
using StackExchange.Redis;

namespace BackOffice.Web.Scaleout;

/// <summary>
/// Command outcomes between app instances (docs/decisions/0025): a clerk's page on B waits for a box connected to A.
/// Each command finished here is announced by id; an instance where a page waits for it reads the command and hands it
/// to the page at once, instead of on the waiter's next look at the database.
/// </summary>
/// <remarks>Singleton hosted service. Lost announcements (Redis away) cost time, not outcomes: the waiter still rechecks.</remarks>
internal sealed partial class RedisCommandOutcomeRelay(
    RedisConnection redis, CommandOutcomes outcomes, IServiceProvider services, TimeProvider timeProvider, ILogger<RedisCommandOutcomeRelay> logger)
    : BackgroundService
{
    private const string ChannelName = "command-outcomes";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        outcomes.RelayTo(id => _ = PublishAsync(id));
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        redis.SubscribeAsync(ChannelName, message => _ = ReceiveAsync(message), ex => LogSubscribeFailed(logger, ex), timeProvider, stoppingToken);

    private async Task PublishAsync(Guid commandId)
    {
        try
        {
            var subscriber = (await redis.GetAsync()).GetSubscriber();
            await subscriber.PublishAsync(redis.Channel(ChannelName), $"{redis.InstanceId} {commandId:N}");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogPublishFailed(logger, ex, commandId);
        }
    }

    private async Task ReceiveAsync(RedisValue message)
    {
        var parts = ((string?)message)?.Split(' ');
        if (parts is not [var origin, var id] || origin == redis.InstanceId || !Guid.TryParseExact(id, "N", out var commandId))
        {
            return; // Our own (its waiters had it at once), or not ours to read.
        }
        try
        {
            var commands = services.GetRequiredService<BridgeCommandService>();
            await outcomes.FinishedElsewhereAsync(commandId, id => commands.FindAsync(id));
        }
        catch (Exception ex)
        {
            // The waiter reads the database on its next recheck.
            LogReadFailed(logger, ex, commandId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not subscribe to the other instances' command outcomes; trying again")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of command {CommandId} could not be announced to the other instances")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid commandId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId}, finished on another instance, could not be read for its waiter here")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, Guid commandId);
}
