using BackOffice.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BackOffice.Web.Security;

internal static class AccountEndpoints
{
    public const string LoginPath = "/Account/Login";
    public const string LogoutPath = "/Account/Logout";
    public const string AccessDeniedPath = "/Account/AccessDenied";

    /// <summary>Sign-out is a POST with an antiforgery token (binding a form field makes the endpoint validate it).</summary>
    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost(LogoutPath, async (SignInManager<StaffUser> signInManager, [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect(LoginPath);
        });
    }
}
