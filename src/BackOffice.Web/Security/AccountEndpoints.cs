using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

internal static class AccountEndpoints
{
    public const string LoginPath = "/Account/Login";
    public const string LogoutPath = "/Account/Logout";
    public const string AccessDeniedPath = "/Account/AccessDenied";

    /// <summary>Fetched by the browser while someone works (<c>wwwroot/js/activity.js</c>): renews the sliding sign-in cookie.</summary>
    public const string KeepAlivePath = "/Account/KeepAlive";

    /// <summary>
    /// The sign-in's session id, a claim in its cookie (see <see cref="EndedSignIns"/>), where an open page's circuit sees
    /// it too: a sign-out ends the open pages of that sign-in as well (<see cref="RevalidatingIdentityStateProvider"/>).
    /// </summary>
    public const string SessionClaim = "backoffice:session";

    /// <summary>The sign-in page's <c>reason</c> after an idle sign-out.</summary>
    public const string IdleReason = "idle";

    /// <summary>Sign-out is a POST with an antiforgery token (binding a form field makes the endpoint validate it).</summary>
    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost(LogoutPath, async Task<IResult> (HttpContext http, SignInManager<StaffUser> signInManager, AuditTrail audit, [FromForm] string? returnUrl,
            [FromForm(Name = OpenPage.FormField)] string? page) =>
        {
            // This sign-in ends for good: a keep-alive sent with its cookie a moment ago must not bring it back.
            var signedIn = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            if (signedIn.Principal?.FindFirst(SessionClaim)?.Value is { } session)
            {
                var cookie = http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
                await http.RequestServices.GetRequiredService<EndedSignIns>().EndAsync(session, cookie.ExpireTimeSpan, OpenPage.FromForm(page), http.RequestAborted);
            }
            if (http.User.Identity is { IsAuthenticated: true, Name: { } name })
            {
                var directoryId = http.User.FindFirst(DirectoryClaims.Id)?.Value;
                await audit.WriteAsync(AuditTrail.Staff(name), "staff.signout", $"user:{name}", "ok",
                    directoryId is null ? null : $"directory id {directoryId}");
            }
            if (http.RequestServices.GetRequiredService<IOptions<StaffAuthenticationOptions>>().Value.IsDirectory)
            {
                // Redirects to the provider's sign-out, which ends its session and comes back to the sign-in page.
                await DirectoryAuthentication.SignOutAsync(http);
                return Results.Empty;
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
