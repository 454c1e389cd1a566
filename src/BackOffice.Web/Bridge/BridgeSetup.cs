using BackOffice.Application.Abstractions;
using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.Authentication;

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
        builder.Services.AddSingleton<IBridgeDispatcher>(provider => provider.GetRequiredService<BridgeConnections>());
        return builder;
    }

    public static void MapBridgeHub(this WebApplication app) => app.MapHub<BoxHub>(BridgeProtocol.HubPath);
}
