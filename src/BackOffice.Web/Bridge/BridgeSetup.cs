using BackOffice.Application.Abstractions;
using BackOffice.Bridge.Contracts;
using BackOffice.Web.Scaleout;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace BackOffice.Web.Bridge;

internal static class BridgeSetup
{
    public static WebApplicationBuilder AddBridgeHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR()
            .AddHubOptions<BoxHub>(options =>
            {
                options.MaximumReceiveMessageSize = BridgeProtocol.Limits.MaxMessageBytes;
                options.EnableDetailedErrors = false;
            });
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BridgeKeyAuthenticationHandler>(BoxClaims.Scheme, null);
        builder.Services.AddSingleton<BridgeConnections>();
        builder.Services.AddSingleton<BridgeKeyCheck>();
        builder.Services.AddSingleton<IBridgeDispatcher>(provider => provider.GetRequiredService<BridgeConnections>());
        builder.Services.AddHostedService<BridgeConnectionCheck>();

        var redis = builder.AddScaleout();
        if (redis.Enabled)
        {
            // Several instances: the backplane carries a box's group across them (docs/decisions/0025). For the box hub
            // only: staff's Blazor circuits stay on their instance (sticky) and keep working while Redis is away.
            builder.Services.AddOptions<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>().Configure(options =>
            {
                options.Configuration = ConfigurationOptions.Parse(redis.Configuration!);
                options.Configuration.ChannelPrefix = RedisChannel.Literal($"{redis.ChannelPrefix}:signalr");
                options.Configuration.AbortOnConnectFail = false;
            });
            builder.Services.AddSingleton<HubLifetimeManager<BoxHub>, RedisHubLifetimeManager<BoxHub>>();
            builder.Services.AddSingleton<RedisBridgeDirectory>();
            builder.Services.AddSingleton<IBridgeDirectory>(provider => provider.GetRequiredService<RedisBridgeDirectory>());
            builder.Services.AddHostedService(provider => provider.GetRequiredService<RedisBridgeDirectory>());
        }
        else
        {
            builder.Services.AddSingleton<IBridgeDirectory, LocalBridgeDirectory>();
        }
        return builder;
    }

    public static void MapBridgeHub(this WebApplication app) => app.MapHub<BoxHub>(BridgeProtocol.HubPath);
}
