using System.Net;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace BackOffice.UnitTests.Security;

/// <summary>
/// <see cref="ReverseProxy"/>: <c>X-Forwarded-For</c>/<c>-Proto</c> change the client's address and scheme only when the
/// connection comes from a configured proxy, and then only by the entry the proxy appended; a forged header from
/// anyone else, or with no proxy configured, changes nothing. Runs the framework's middleware with the app's settings.
/// </summary>
public sealed class ReverseProxyTests
{
    private const string Proxy = "10.0.0.5";

    [Fact]
    public async Task FromTheConfiguredProxy_TheForwardedClientAndSchemeCount()
    {
        var seen = await SendAsync([new("ReverseProxy:KnownProxies:0", Proxy)], peer: Proxy, forwardedFor: "203.0.113.9", forwardedProto: "https");

        Assert.Equal(IPAddress.Parse("203.0.113.9"), seen.Address);
        Assert.Equal("https", seen.Scheme);
    }

    [Fact]
    public async Task FromAConfiguredProxyNetwork_TheForwardedClientCounts()
    {
        var seen = await SendAsync([new("ReverseProxy:KnownNetworks:0", "10.0.0.0/24")], peer: "10.0.0.77", forwardedFor: "203.0.113.9");

        Assert.Equal(IPAddress.Parse("203.0.113.9"), seen.Address);
    }

    [Fact]
    public async Task FromTheProxy_WhatTheClientWroteBeforeTheProxysEntryIsIgnored()
    {
        // nginx appends the address it saw to whatever the client sent ($proxy_add_x_forwarded_for).
        var seen = await SendAsync([new("ReverseProxy:KnownProxies:0", Proxy)], peer: Proxy, forwardedFor: "198.51.100.66, 203.0.113.9");

        Assert.Equal(IPAddress.Parse("203.0.113.9"), seen.Address);
    }

    [Fact]
    public async Task FromAnyoneElse_AForgedHeaderIsIgnored()
    {
        var seen = await SendAsync([new("ReverseProxy:KnownProxies:0", Proxy)], peer: "198.51.100.7", forwardedFor: "203.0.113.9", forwardedProto: "https");

        Assert.Equal(IPAddress.Parse("198.51.100.7"), seen.Address);
        Assert.Equal("http", seen.Scheme);
    }

    [Fact]
    public async Task WithoutAConfiguredProxy_EvenLoopbackCannotForward()
    {
        // The framework's defaults would trust loopback; the app trusts only what is configured.
        var seen = await SendAsync([], peer: "127.0.0.1", forwardedFor: "203.0.113.9");

        Assert.Equal(IPAddress.Loopback, seen.Address);
    }

    [Theory]
    [InlineData("ReverseProxy:KnownProxies:0", "nginx.local")]
    [InlineData("ReverseProxy:KnownNetworks:0", "10.0.0.0")]
    [InlineData("ReverseProxy:KnownNetworks:0", "10.0.0.0/33")]
    public void Validator_RefusesWhatIsNoAddressOrNetwork(string key, string value)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build()
            .GetSection(ReverseProxyOptions.SectionName).Get<ReverseProxyOptions>()!;

        Assert.True(new ReverseProxyOptionsValidator().Validate(null, options).Failed);
    }

    private static async Task<(IPAddress? Address, string Scheme)> SendAsync(
        IEnumerable<KeyValuePair<string, string?>> settings, string peer, string forwardedFor, string? forwardedProto = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddReverseProxy();
        await using var app = builder.Build();
        app.UseReverseProxy();
        (IPAddress? Address, string Scheme) seen = default;
        app.Run(context =>
        {
            seen = (context.Connection.RemoteIpAddress, context.Request.Scheme);
            return Task.CompletedTask;
        });
        var pipeline = ((IApplicationBuilder)app).Build();

        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Scheme = "http";
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        if (forwardedProto is not null)
        {
            context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
        }
        await pipeline(context);
        return seen;
    }
}
