using BackOffice.Domain.Staff;
using Microsoft.AspNetCore.Authorization;

namespace BackOffice.Web.Security;

/// <summary>The authorization policies pages and endpoints name; one place maps them to roles.</summary>
public static class AuthorizationPolicies
{
    /// <summary>Any signed-in staff member.</summary>
    public const string Staff = "Staff";

    /// <summary>Counter work: documents, loading, PIN reissue. Clerks and their supervisors.</summary>
    public const string CounterWork = "CounterWork";

    /// <summary>Dashboard, service openings, all reports.</summary>
    public const string Supervision = "Supervision";

    /// <summary>Boxes, bridge keys, staff accounts, settings.</summary>
    public const string Administration = "Administration";

    /// <summary>A box bridge, authenticated by its box key (never a staff cookie).</summary>
    public const string Bridge = "Bridge";

    /// <summary>The registration software, authenticated by API key.</summary>
    public const string RegistrationApi = "RegistrationApi";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(RegistrationApi, p => p
            .AddAuthenticationSchemes(BackOffice.Web.Api.ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        options.AddPolicy(Bridge, p => p
            .AddAuthenticationSchemes(BackOffice.Web.Bridge.BoxClaims.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(BackOffice.Web.Bridge.BoxClaims.BoxId));
        options.AddPolicy(Staff, p => p.RequireRole(StaffRoles.All));
        options.AddPolicy(CounterWork, p => p.RequireRole(StaffRoles.Clerk, StaffRoles.Supervisor));
        options.AddPolicy(Supervision, p => p.RequireRole(StaffRoles.Supervisor, StaffRoles.Admin));
        options.AddPolicy(Administration, p => p.RequireRole(StaffRoles.Admin));

        // Anything that forgets to say who may use it is closed to anonymous callers.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
