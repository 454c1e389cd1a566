using System.Net;
using System.Text.Encodings.Web;
using BackOffice.Application.Telemetry;
using BackOffice.Web.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.UnitTests.Telemetry;

/// <summary>
/// Who gets into <c>/metrics</c> (<see cref="MetricsScraperAuthenticationHandler"/>): a scraper from a configured network
/// without a token, anyone with the token; a request from another network without it does not authenticate (401).
/// </summary>
public sealed class MetricsScraperAuthenticationTests
{
    private const string Token = "a-secret-scraper-token-of-32-characters-or-more";

    [Theory]
    [InlineData("10.20.30.7")]
    [InlineData("10.20.30.255")]
    [InlineData("::ffff:10.20.30.7")] // Kestrel's dual-mode sockets hand IPv4 clients over like this
    [InlineData("2001:db8:0:1::5")]
    public async Task FromAnAllowedNetwork_WithoutAToken_GetsIn(string address)
    {
        var result = await AuthenticateAsync(address, authorization: null);

        Assert.True(result.Succeeded);
        Assert.Equal("metrics:network", result.Principal!.Identity!.Name);
    }

    [Theory]
    [InlineData("10.20.31.7")]
    [InlineData("10.20.29.255")]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:10.20.31.7")]
    [InlineData("2001:db9::5")]
    public async Task FromAnotherNetwork_WithoutAToken_DoesNotGetIn(string address)
    {
        var result = await AuthenticateAsync(address, authorization: null);

        Assert.False(result.Succeeded);
        Assert.True(result.None, "No ticket: the policy then answers 401.");
    }

    [Fact]
    public async Task FromAnotherNetwork_WithTheToken_GetsIn()
    {
        var result = await AuthenticateAsync("192.0.2.1", $"Bearer {Token}");

        Assert.True(result.Succeeded);
        Assert.Equal("metrics:token", result.Principal!.Identity!.Name);
    }

    [Fact]
    public async Task FromAnotherNetwork_WithAWrongToken_IsRefused()
    {
        var result = await AuthenticateAsync("192.0.2.1", $"Bearer {Token}-not");

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
    }

    [Fact]
    public void InAllowedNetwork_NoNetworksConfigured_AllowsNobody()
    {
        Assert.False(MetricsScraperAuthenticationHandler.InAllowedNetwork(IPAddress.Loopback, []));
    }

    [Fact]
    public void InAllowedNetwork_NetworkWrittenWithAHostAddress_StandsForItsWholePrefix()
    {
        // .NET 10 reads "10.20.30.7/24" as 10.20.30.0/24 (earlier versions refused it), so the start is not refused for it.
        Assert.True(MetricsScraperAuthenticationHandler.InAllowedNetwork(IPAddress.Parse("10.20.30.200"), ["10.20.30.7/24"]));
        Assert.False(MetricsScraperAuthenticationHandler.InAllowedNetwork(IPAddress.Parse("10.20.31.7"), ["10.20.30.7/24"]));
    }

    private static async Task<AuthenticateResult> AuthenticateAsync(string remoteAddress, string? authorization)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions();
        services.AddSingleton(UrlEncoder.Default);
        services.Configure<TelemetryOptions>(options => options.Prometheus = new PrometheusEndpointOptions
        {
            Enabled = true,
            AllowedNetworks = ["10.20.30.0/24", "2001:db8::/32"],
            BearerToken = Token,
        });
        await using var provider = services.BuildServiceProvider();
        var handler = ActivatorUtilities.CreateInstance<MetricsScraperAuthenticationHandler>(provider);
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }
        var scheme = new AuthenticationScheme(MetricsScraperAuthenticationHandler.SchemeName, null, typeof(MetricsScraperAuthenticationHandler));
        await handler.InitializeAsync(scheme, context);
        return await handler.AuthenticateAsync();
    }
}
