using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;

namespace BackOffice.Web.Security;

/// <summary>
/// A signed-in member of staff without the role gets <c>403</c> on the address they asked for, with the German
/// access-denied page as the body (pages and endpoints alike), instead of the cookie handler's redirect to
/// <see cref="AccountEndpoints.AccessDeniedPath"/>.
/// </summary>
/// <remarks>
/// The cookie handler's forbid answers 403 and switches the status code pages on for that one response; they re-execute
/// the access-denied page (a GET) in a fresh scope. Every other response keeps its own status and body (a 404, an API
/// problem, a 400 of the hub), because the status code pages are off unless a forbid turned them on.
/// </remarks>
internal static class AccessDeniedResponses
{
    /// <summary>The cookie handler's <c>OnRedirectToAccessDenied</c>.</summary>
    public static Task ForbidAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.Headers.CacheControl = "no-store";
        // Re-executing keeps the method: a POST would meet the page's antiforgery check, so it gets the bare 403.
        if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            && http.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = true;
        }
        return Task.CompletedTask;
    }

    /// <summary>Before authentication and authorization, so their forbid can be answered with the page.</summary>
    public static IApplicationBuilder UseAccessDeniedPage(this IApplicationBuilder app)
    {
        app.UseStatusCodePagesWithReExecute(AccountEndpoints.AccessDeniedPath, createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }
            return next(context);
        });
        return app;
    }
}
