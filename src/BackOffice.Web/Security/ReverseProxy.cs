using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>Settings under <c>ReverseProxy</c>: who may tell the app the client's address and scheme.</summary>
public sealed class ReverseProxyOptions
{
    public const string SectionName = "ReverseProxy";

    /// <summary>Addresses of the reverse proxies (nginx) in front of the app, e.g. <c>127.0.0.1</c> or <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of reverse proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>True when a proxy is configured: only then are forwarded headers read at all.</summary>
    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal sealed class ReverseProxyOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options)
    {
        var errors = new List<string>();
        errors.AddRange(options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"ReverseProxy:KnownProxies: \"{p}\" is not an IP address."));
        errors.AddRange(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _))
            .Select(n => $"ReverseProxy:KnownNetworks: \"{n}\" is not a network in CIDR notation (e.g. 10.0.0.0/24)."));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// The client's address and scheme behind a reverse proxy: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> count only
/// when the connection comes from a configured proxy, and only the one entry that proxy added (the last): what a client
/// wrote into the header itself is ignored. Rate limits, the sign-in lockout, logs and audit lines then see the real
/// client; without a configured proxy the headers are ignored altogether.
/// </summary>
internal static class ReverseProxy
{
    public static WebApplicationBuilder AddReverseProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReverseProxyOptions>()
            .Bind(builder.Configuration.GetSection(ReverseProxyOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReverseProxyOptions>, ReverseProxyOptionsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only what is configured counts.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
            // One proxy in front: the last entry is the one it appended; anything before it came from the client.
            options.ForwardLimit = 1;
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after it (HTTPS redirect, logs, limits, sign-in) sees the real client.</summary>
    public static IApplicationBuilder UseReverseProxy(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IOptions<ReverseProxyOptions>>().Value;
        return settings.Enabled ? app.UseForwardedHeaders() : app;
    }
}
