using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BackOffice.Web.Security;

internal static class AccountEndpoints
{
    public const string LoginPath = "/Account/Login";
    public const string LogoutPath = "/Account/Logout";
    public const string AccessDeniedPath = "/Account/AccessDenied";

    /// <summary>Fetched by the browser while someone works (<c>wwwroot/js/activity.js</c>): renews the sliding sign-in cookie.</summary>
    public const string KeepAlivePath = "/Account/KeepAlive";

    /// <summary>The sign-in page's <c>reason</c> after an idle sign-out.</summary>
    public const string IdleReason = "idle";

    /// <summary>Sign-out is a POST with an antiforgery token (binding a form field makes the endpoint validate it).</summary>
    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost(LogoutPath, async (HttpContext http, SignInManager<StaffUser> signInManager, AuditTrail audit, [FromForm] string? returnUrl) =>
        {
            if (http.User.Identity is { IsAuthenticated: true, Name: { } name })
            {
                await audit.WriteAsync(AuditTrail.Staff(name), "staff.signout", $"user:{name}", "ok");
            }
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect(LoginPath);
        });

        // The cookie handler renews the cookie on this path (see DependencyInjection); the answer itself says nothing.
        app.MapGet(KeepAlivePath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.NoContent();
        }).RequireAuthorization(AuthorizationPolicies.Staff);
    }
}
