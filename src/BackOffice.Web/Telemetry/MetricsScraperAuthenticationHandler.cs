using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BackOffice.Application.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Telemetry;

/// <summary>
/// Lets a Prometheus scraper in from a configured network (<c>Telemetry:Prometheus:AllowedNetworks</c>), or with the
/// configured token as <c>Authorization: Bearer …</c> (compared in constant time). Anyone else gets 401; a staff
/// sign-in does not count. The client address is the connection's (behind a proxy, configure the forwarded headers).
/// </summary>
internal sealed partial class MetricsScraperAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<TelemetryOptions> telemetry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "MetricsScraper";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var settings = telemetry.CurrentValue.Prometheus;
        var address = Context.Connection.RemoteIpAddress;
        if (address is not null && InAllowedNetwork(address, settings.AllowedNetworks))
        {
            return Task.FromResult(Success("network"));
        }
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var token = settings.BearerToken?.Trim();
        if (string.IsNullOrEmpty(token)
            || !CryptographicOperations.FixedTimeEquals(Hash(header["Bearer ".Length..].Trim()), Hash(token)))
        {
            LogRefused(Logger);
            return Task.FromResult(AuthenticateResult.Fail("Wrong metrics token."));
        }
        return Task.FromResult(Success("token"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    internal static bool InAllowedNetwork(IPAddress address, IEnumerable<string> networks)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return networks.Any(n => IPNetwork.TryParse(n, out var network) && network.Contains(address));
    }

    private AuthenticateResult Success(string how) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, $"metrics:{how}")], SchemeName)), SchemeName));

    // Hashes have one length, so the comparison time says nothing about the token.
    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A metrics scrape with a wrong token was refused")]
    private static partial void LogRefused(ILogger logger);
}
