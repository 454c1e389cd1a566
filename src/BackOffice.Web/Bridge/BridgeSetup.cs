using BackOffice.Application.Abstractions;
using BackOffice.Bridge.Contracts;
using BackOffice.Web.Scaleout;
using Microsoft.AspNetCore.Authentication;
using StackExchange.Redis;

namespace BackOffice.Web.Bridge;

internal static class BridgeSetup
{
    public static WebApplicationBuilder AddBridgeHub(this WebApplicationBuilder builder)
    {
        var signalR = builder.Services.AddSignalR()
            .AddHubOptions<BoxHub>(options =>
            {
                options.MaximumReceiveMessageSize = BridgeProtocol.Limits.MaxMessageBytes;
                options.EnableDetailedErrors = false;
            });
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BridgeKeyAuthenticationHandler>(BoxClaims.Scheme, null);
        builder.Services.AddSingleton<BridgeConnections>();
        builder.Services.AddSingleton<IBridgeDispatcher>(provider => provider.GetRequiredService<BridgeConnections>());
        builder.Services.AddHostedService<BridgeConnectionCheck>();

        var redis = builder.AddScaleout();
        if (redis.Enabled)
        {
            // Several instances: the backplane carries a box's group across them (docs/decisions/0025).
            signalR.AddStackExchangeRedis(redis.Configuration!, options =>
            {
                options.Configuration.ChannelPrefix = RedisChannel.Literal($"{redis.ChannelPrefix}:signalr");
                options.Configuration.AbortOnConnectFail = false;
            });
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
