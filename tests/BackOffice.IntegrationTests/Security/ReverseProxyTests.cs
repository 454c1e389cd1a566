using System.Net;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace BackOffice.IntegrationTests.Security;

/// <summary>
/// The app behind a configured reverse proxy (10.0.0.5) with a low sign-in limit per client. The in-memory server has no
/// sockets, so a test header names the connection's peer, set before anything else in the pipeline runs.
/// </summary>
public sealed class BehindProxyApp : BackOfficeAppFactory
{
    public const string Proxy = "10.0.0.5";
    public const string PeerHeader = "X-Test-Peer";
    public const int SignInsPerClient = 2;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("ReverseProxy:KnownProxies:0", Proxy),
        new("RateLimits:SignInPerClient:PermitLimit", $"{SignInsPerClient}"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, PeerFromHeader>());
    }

    private sealed class PeerFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// The sign-in rate limit counts per real client behind the proxy: clients forwarded by the proxy are counted apart,
/// while a client that sends <c>X-Forwarded-For</c> itself cannot pose as many clients (nor as anyone else).
/// </summary>
public class ReverseProxyTests(BehindProxyApp app) : IClassFixture<BehindProxyApp>
{
    [Fact]
    public async Task SignIn_ThroughTheProxy_EachForwardedClientHasItsOwnLimit()
    {
        // Three clients behind the proxy, each within its limit: none refused (the proxy's own address would be one
        // client and refused from the third attempt on).
        foreach (var client in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostSignInAsync(BehindProxyApp.Proxy, client));
        }
    }

    [Fact]
    public async Task SignIn_ThroughTheProxy_AClientsOwnForwardedEntriesDoNotMakeItAnotherClient()
    {
        // nginx appends the address it saw; what the client wrote in front of it changes nothing.
        for (var i = 0; i < BehindProxyApp.SignInsPerClient; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostSignInAsync(BehindProxyApp.Proxy, $"198.51.100.{i + 1}, 203.0.113.50"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostSignInAsync(BehindProxyApp.Proxy, "198.51.100.99, 203.0.113.50"));
    }

    [Fact]
    public async Task SignIn_NotFromTheProxy_AForgedForwardedForIsIgnored()
    {
        for (var i = 0; i < BehindProxyApp.SignInsPerClient; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, await PostSignInAsync("192.0.2.44", $"203.0.113.{100 + i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await PostSignInAsync("192.0.2.44", "203.0.113.200"));
    }

    private async Task<HttpStatusCode> PostSignInAsync(string peer, string forwardedFor)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login", ["Input.Email"] = $"niemand-{Guid.NewGuid():N}@demo.local", ["Input.Password"] = "Falsches-Passwort-1",
            }),
        };
        request.Headers.Add(BehindProxyApp.PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode;
    }
}
