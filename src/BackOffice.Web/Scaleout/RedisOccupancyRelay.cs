using System.Text.Json;
using System.Threading.Channels;
using BackOffice.Application.Occupancy;
using StackExchange.Redis;

namespace BackOffice.Web.Scaleout;

/// <summary>
/// The live feed between app instances (docs/decisions/0025): every change made on this instance goes out on one
/// Redis channel in small batches, and what the others made enters this instance's <see cref="OccupancyChanges"/>, the
/// monitor's one input. A batch names the instance it came from, so no instance applies its own changes twice. Pub/sub
/// keeps nothing for an instance that was away: when the subscription comes back, this instance reads every box it
/// shows again and asks the others to do the same.
/// </summary>
/// <remarks>Singleton hosted service; never blocks a writer of the changes.</remarks>
internal sealed partial class RedisOccupancyRelay(
    RedisConnection redis, OccupancyChanges changes, TimeProvider timeProvider, ILogger<RedisOccupancyRelay> logger) : BackgroundService
{
    private const string ChannelName = "occupancy";

    /// <summary>At most this many changes wait to be sent; a longer Redis outage drops the oldest (a resync follows).</summary>
    public const int OutboxCapacity = 10_000;

    /// <summary>At most this many changes in one message.</summary>
    public const int MaxBatch = 200;

    private readonly Channel<OccupancyChange> _outbox = Channel.CreateBounded<OccupancyChange>(new BoundedChannelOptions(OutboxCapacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the hub and the services take work: no change of this instance may miss the relay.
        changes.RelayTo(change => _outbox.Writer.TryWrite(change));
        var connection = await redis.GetAsync();
        connection.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                LogResync(logger);
                changes.Resync();
                _ = PublishAsync(OccupancyBatch.ResyncRequest(redis.InstanceId));
            }
        };
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _outbox.Reader;
        try
        {
            await redis.SubscribeAsync(ChannelName, Receive, ex => LogSubscribeFailed(logger, ex), timeProvider, stoppingToken);
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<OccupancyChange>();
                while (batch.Count < MaxBatch && reader.TryRead(out var change))
                {
                    batch.Add(change);
                }
                await PublishAsync(new OccupancyBatch(redis.InstanceId, batch, false));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(OccupancyBatch batch)
    {
        try
        {
            var subscriber = (await redis.GetAsync()).GetSubscriber();
            await subscriber.PublishAsync(redis.Channel(ChannelName), JsonSerializer.SerializeToUtf8Bytes(batch, OccupancyBatch.Json));
        }
        catch (Exception ex)
        {
            // The others resync when their subscription or ours comes back; the database holds every change.
            LogPublishFailed(logger, ex, batch.Changes.Count);
        }
    }

    private void Receive(RedisValue message)
    {
        OccupancyBatch? batch;
        try
        {
            batch = JsonSerializer.Deserialize<OccupancyBatch>((byte[])message!, OccupancyBatch.Json);
        }
        catch (JsonException ex)
        {
            LogMalformed(logger, ex);
            return;
        }
        if (batch is null || batch.Origin == redis.InstanceId)
        {
            // Our own: applied here already when it was made.
            return;
        }
        if (batch.Resync)
        {
            changes.Resync();
        }
        foreach (var change in batch.Changes)
        {
            changes.Received(change);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The subscription to the other instances' changes is back; every box shown is read again")]
    private static partial void LogResync(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not subscribe to the other instances' occupancy changes; trying again")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} occupancy changes could not be sent to the other instances")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A malformed occupancy message arrived from another instance; ignored")]
    private static partial void LogMalformed(ILogger logger, Exception exception);
}

/// <summary>What goes over the channel: the sending instance, its changes, or its request that everyone reads again.</summary>
internal sealed record OccupancyBatch(string Origin, IReadOnlyList<OccupancyChange> Changes, bool Resync)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OccupancyBatch ResyncRequest(string origin) => new(origin, [], true);
}
