using System.Globalization;
using BackOffice.Web.Bridge;
using StackExchange.Redis;

namespace BackOffice.Web.Scaleout;

/// <summary>
/// The box directory in Redis, for several app instances (docs/decisions/0025). Per box a holder record (connection and
/// generation, expiring unless its instance confirms it) and a generation counter, changed together by one script; a
/// new generation is announced on one channel, and every instance closes its older connection of that box.
/// </summary>
/// <remarks>Singleton; thread-safe. Subscribes when the app starts.</remarks>
internal sealed partial class RedisBridgeDirectory(RedisConnection redis, TimeProvider timeProvider, ILogger<RedisBridgeDirectory> logger)
    : BackgroundService, IBridgeDirectory
{
    /// <summary>A holder record not confirmed for this long is gone (its instance died without a goodbye).</summary>
    public static readonly TimeSpan HolderLifetime = BridgeConnectionCheck.Interval * 3;

    private const string ChannelName = "bridge-claims";

    private const string ClaimScript = """
        local generation = redis.call('INCR', KEYS[2])
        redis.call('HSET', KEYS[1], 'connection', ARGV[1], 'generation', generation)
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return generation
        """;

    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[1], 'connection') == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private const string ConfirmScript = """
        if redis.call('HGET', KEYS[1], 'connection') == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        return 0
        """;

    private const string EvictScript = """
        local generation = redis.call('INCR', KEYS[2])
        redis.call('DEL', KEYS[1])
        return generation
        """;

    public event Action<Guid, long>? Superseded;

    private static string Lifetime => ((long)HolderLifetime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    public async Task<long> ClaimAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
    {
        var db = (await redis.GetAsync()).GetDatabase();
        var generation = (long)await db.ScriptEvaluateAsync(ClaimScript, [Holder(boxId), Generation(boxId)], [connectionId, Lifetime]);
        await AnnounceAsync(boxId, generation);
        return generation;
    }

    public async Task ReleaseAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
    {
        var db = (await redis.GetAsync()).GetDatabase();
        await db.ScriptEvaluateAsync(ReleaseScript, [Holder(boxId)], [connectionId]);
    }

    public async Task<bool> IsHeldAsync(Guid boxId, CancellationToken cancellationToken)
    {
        var db = (await redis.GetAsync()).GetDatabase();
        return await db.KeyExistsAsync(Holder(boxId));
    }

    public async Task<bool> ConfirmAsync(Guid boxId, string connectionId, CancellationToken cancellationToken)
    {
        var db = (await redis.GetAsync()).GetDatabase();
        return (long)await db.ScriptEvaluateAsync(ConfirmScript, [Holder(boxId)], [connectionId, Lifetime]) == 1;
    }

    public async Task EvictAsync(Guid boxId, CancellationToken cancellationToken)
    {
        var db = (await redis.GetAsync()).GetDatabase();
        var generation = (long)await db.ScriptEvaluateAsync(EvictScript, [Holder(boxId), Generation(boxId)]);
        await AnnounceAsync(boxId, generation);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await redis.SubscribeAsync(ChannelName, Receive, ex => LogSubscribeFailed(logger, ex), timeProvider, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>"box:generation", the form on the channel.</summary>
    internal static string Format(Guid boxId, long generation) => $"{boxId:N}:{generation.ToString(CultureInfo.InvariantCulture)}";

    internal static bool TryParse(string? message, out Guid boxId, out long generation)
    {
        boxId = default;
        generation = 0;
        var parts = message?.Split(':');
        return parts is { Length: 2 }
            && Guid.TryParseExact(parts[0], "N", out boxId)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out generation);
    }

    private void Receive(RedisValue message)
    {
        if (TryParse(message, out var boxId, out var generation))
        {
            Superseded?.Invoke(boxId, generation);
        }
        else
        {
            LogMalformed(logger);
        }
    }

    private async Task AnnounceAsync(Guid boxId, long generation)
    {
        // Here at once (an older connection on this instance closes now), to the others through Redis; hearing our own
        // announcement again changes nothing.
        Superseded?.Invoke(boxId, generation);
        await (await redis.GetAsync()).GetSubscriber().PublishAsync(redis.Channel(ChannelName), Format(boxId, generation));
    }

    private RedisKey Holder(Guid boxId) => redis.BoxKey(boxId, "holder");

    private RedisKey Generation(Guid boxId) => redis.BoxKey(boxId, "generation");

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not subscribe to the other instances' bridge claims; trying again")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A malformed bridge claim arrived from another instance; ignored")]
    private static partial void LogMalformed(ILogger logger);
}
