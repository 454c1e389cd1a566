using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BackOffice.Web.Scaleout;

/// <summary>
/// This instance's connection to Redis for the box directory and the live feed (the SignalR backplane keeps its own),
/// with the deployment's names for channels and keys. Connects on first use and keeps reconnecting on its own while
/// Redis is away: callers see errors meanwhile, never a stopped app.
/// </summary>
/// <remarks>Singleton; thread-safe.</remarks>
internal sealed class RedisConnection(IOptions<RedisOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectAsync(options.Value));

    /// <summary>Names this process in what it publishes, so it can tell its own messages from the others'.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public async Task<IConnectionMultiplexer> GetAsync() => await _connection.Value;

    public RedisChannel Channel(string name) => RedisChannel.Literal($"{options.Value.ChannelPrefix}:{name}");

    // The box id as a hash tag: a box's keys stay in one slot, should the Redis ever be a cluster.
    public RedisKey BoxKey(Guid boxId, string name) => $"{options.Value.ChannelPrefix}:bridge:{{{boxId:N}}}:{name}";

    /// <summary>
    /// Subscribes, trying again every few seconds while Redis is away (the app starts and serves staff meanwhile);
    /// once subscribed, the connection restores the subscription after an outage on its own.
    /// </summary>
    public async Task SubscribeAsync(string name, Action<RedisValue> handler, Action<Exception> failed, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await (await GetAsync()).GetSubscriber().SubscribeAsync(Channel(name), (_, message) => handler(message));
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                failed(ex);
                await Task.Delay(SubscribeRetry, timeProvider, cancellationToken);
            }
        }
    }

    /// <summary>How long to wait before subscribing again after a failure.</summary>
    public static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(2);

    private static async Task<ConnectionMultiplexer> ConnectAsync(RedisOptions settings)
    {
        var configuration = ConfigurationOptions.Parse(settings.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "backoffice";
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
