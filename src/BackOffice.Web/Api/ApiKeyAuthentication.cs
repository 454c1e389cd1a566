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

    /// <summary>Shorter keys are refused at start: they could be guessed.</summary>
    public const int MinKeyLength = 32;

    /// <summary>The key in <c>appsettings.Development.json</c> starts with this; it must never open a real deployment.</summary>
    public const string DevelopmentKeyPrefix = BackOffice.Web.Security.DevelopmentSecretsValidator.Marker;

    /// <summary>Accepted API keys, e.g. <c>Api__Keys__0</c>. Several allow rotating without downtime.</summary>
    public List<string> Keys { get; set; } = [];
}

/// <summary>Refuses to start with a short API key, or with the repository's development key outside Development.</summary>
internal sealed class ApiOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var errors = new List<string>();
        if (options.Keys.Any(k => k.Trim().Length < ApiOptions.MinKeyLength))
        {
            errors.Add($"Every Api:Keys entry needs at least {ApiOptions.MinKeyLength} characters (e.g. `openssl rand -base64 32`).");
        }
        if (!environment.IsDevelopment() && options.Keys.Any(k => k.StartsWith(ApiOptions.DevelopmentKeyPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add("Api:Keys holds the development key from the repository; set real keys from the environment (Api__Keys__0).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
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

    /// <summary>Names which key was used (a hash prefix, never the key): rate limits count per key.</summary>
    public const string KeyIdClaim = "backoffice:api_key_id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var presented = Hash(values.ToString());
        var known = apiOptions.CurrentValue.Keys.Where(k => k.Length >= ApiOptions.MinKeyLength).Select(Hash);
        // Hashes have one length, so the comparison time says nothing about the key.
        if (!known.Any(k => CryptographicOperations.FixedTimeEquals(k, presented)))
        {
            LogRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "api:registration"), new Claim(KeyIdClaim, Convert.ToHexString(presented, 0, 8))], SchemeName);
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
