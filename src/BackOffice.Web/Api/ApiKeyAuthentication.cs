using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Api;

/// <summary>Settings under <c>Api</c>: the keys of the registration software (secrets: environment, never the repository).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Accepted API keys, e.g. <c>Api__Keys__0</c>. Several allow rotating without downtime.</summary>
    public List<string> Keys { get; set; } = [];
}

/// <summary>Authenticates the registration software by <c>X-Api-Key</c>, compared in constant time.</summary>
internal sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> apiOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var presented = Hash(values.ToString());
        var known = apiOptions.CurrentValue.Keys.Where(k => k.Length >= 32).Select(Hash);
        // Hashes have one length, so the comparison time says nothing about the key.
        if (!known.Any(k => CryptographicOperations.FixedTimeEquals(k, presented)))
        {
            LogRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api:registration")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Response.WriteAsJsonAsync(new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            title = "API-Schlüssel fehlt oder ist ungültig.",
            status = 401,
        }, options: null, contentType: "application/problem+json");
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [LoggerMessage(Level = LogLevel.Warning, Message = "API call from {RemoteAddress} refused: unknown API key")]
    private static partial void LogRefused(ILogger logger, string remoteAddress);
}
