using BackOffice.Domain.Staff;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security.SingleSignOn;

/// <summary>How staff sign in (<c>Authentication:Mode</c>).</summary>
public enum StaffAuthenticationMode
{
    /// <summary>Local ASP.NET Core Identity accounts with passwords (the embedded default).</summary>
    Local,

    /// <summary>Any OpenID Connect provider (ADFS 2019+, Keycloak) through ASP.NET Core's handler.</summary>
    Oidc,

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web (section <c>Authentication:EntraId</c>).</summary>
    EntraId,
}

/// <summary>Settings under <c>Authentication</c> (docs/decisions/0022, README "Anmeldung").</summary>
public sealed class StaffAuthenticationOptions
{
    public const string SectionName = "Authentication";

    /// <summary><c>Local</c>, <c>Oidc</c> or <c>EntraId</c>; kept as text so a typo stops the start with a clear message.</summary>
    public string Mode { get; set; } = nameof(StaffAuthenticationMode.Local);

    public OidcProviderOptions Oidc { get; set; } = new();

    /// <summary>Directory group (name or object id, as the token carries it) → Clerk, Supervisor or Admin.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A PEM certificate the app trusts for its calls to the provider (metadata, keys, token) besides the system's
    /// trust store: an internal CA, or the self-signed certificate of a test provider.
    /// </summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>
    /// A directory sign-in lasts at most this long, whatever the activity: then the open circuit ends at its next
    /// revalidation and the browser goes back to the provider (a working day by default).
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>
    /// The four-eyes second person's sign-in at the provider counts while it is at most this old (its <c>auth_time</c>):
    /// from the sign-in to the action it confirms.
    /// </summary>
    public TimeSpan FreshSignInMaxAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The claim of the token that carries the person's groups (<see cref="RoleMap"/>).</summary>
    public string GroupClaimType { get; set; } = "groups";

    public StaffAuthenticationMode ParsedMode =>
        Enum.TryParse<StaffAuthenticationMode>(Mode, ignoreCase: true, out var mode) && Enum.IsDefined(mode) ? mode : StaffAuthenticationMode.Local;

    public bool IsDirectory => ParsedMode != StaffAuthenticationMode.Local;
}

/// <summary>Settings under <c>Authentication:Oidc</c>.</summary>
public sealed class OidcProviderOptions
{
    /// <summary>The issuer, e.g. <c>https://adfs.stadt.example/adfs</c> or <c>https://keycloak.stadt.example/realms/stadt</c>.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>The claim with role names Clerk, Supervisor, Admin (Keycloak client roles mapped to it, ADFS claim rules).</summary>
    public string RoleClaimType { get; set; } = "roles";
}

internal sealed class StaffAuthenticationOptionsValidator(IConfiguration configuration) : IValidateOptions<StaffAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, StaffAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (!Enum.TryParse<StaffAuthenticationMode>(options.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode)
            || int.TryParse(options.Mode, out _))
        {
            return ValidateOptionsResult.Fail($"Authentication:Mode '{options.Mode}' is unknown; use Local, Oidc or EntraId.");
        }
        if (mode == StaffAuthenticationMode.Oidc)
        {
            if (!Uri.TryCreate(options.Oidc.Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add("Authentication:Oidc:Authority must be the provider's https:// issuer address.");
            }
            if (string.IsNullOrWhiteSpace(options.Oidc.ClientId))
            {
                failures.Add("Authentication:Oidc:ClientId is missing.");
            }
            if (string.IsNullOrWhiteSpace(options.Oidc.ClientSecret))
            {
                failures.Add("Authentication:Oidc:ClientSecret is missing.");
            }
        }
        if (mode == StaffAuthenticationMode.EntraId)
        {
            var entra = configuration.GetSection(DirectoryAuthentication.EntraIdSection);
            foreach (var key in new[] { "Instance", "TenantId", "ClientId" })
            {
                if (string.IsNullOrWhiteSpace(entra[key]))
                {
                    failures.Add($"{DirectoryAuthentication.EntraIdSection}:{key} is missing.");
                }
            }
            if (string.IsNullOrWhiteSpace(entra["ClientSecret"]) && !entra.GetSection("ClientCredentials").GetChildren().Any())
            {
                failures.Add($"{DirectoryAuthentication.EntraIdSection} needs a ClientSecret or ClientCredentials (a certificate).");
            }
        }
        foreach (var (group, role) in options.RoleMap)
        {
            if (!StaffRoles.All.Contains(role, StringComparer.Ordinal))
            {
                failures.Add($"Authentication:RoleMap:{group} names '{role}'; use Clerk, Supervisor or Admin.");
            }
        }
        if (options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > TimeSpan.FromHours(24))
        {
            failures.Add("Authentication:SessionLifetime must be between 00:01:00 and 24:00:00.");
        }
        if (options.FreshSignInMaxAge < TimeSpan.FromSeconds(30) || options.FreshSignInMaxAge > TimeSpan.FromMinutes(15))
        {
            failures.Add("Authentication:FreshSignInMaxAge must be between 00:00:30 and 00:15:00.");
        }
        if (!string.IsNullOrEmpty(options.TrustedCertificatePath) && !File.Exists(options.TrustedCertificatePath))
        {
            failures.Add($"Authentication:TrustedCertificatePath '{options.TrustedCertificatePath}' does not exist.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
