namespace BackOffice.Web.Security;

/// <summary>Response headers every page and file gets.</summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Blazor Server and MudBlazor work under this policy: scripts only from this origin (no inline script, no
    /// eval), inline styles allowed because MudBlazor writes its theme as a style element and its components set style
    /// attributes (docs/decisions/0021), the circuit's WebSocket to this origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>
    /// The policy with the directory's origin allowed as a form target: sign-out is a form post the app answers with a
    /// redirect to the provider's sign-out page, and the browser applies <c>form-action</c> to that redirect too.
    /// </summary>
    public static string PolicyFor(string? directoryOrigin) => directoryOrigin is null
        ? ContentSecurityPolicy
        : ContentSecurityPolicy.Replace("form-action 'self';", $"form-action 'self' {directoryOrigin};", StringComparison.Ordinal);

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var policy = PolicyFor(SingleSignOn.DirectoryAuthentication.ProviderOrigin(app.ApplicationServices.GetRequiredService<IConfiguration>()));
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.Remove("Server");
                headers.Remove("X-Powered-By");
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
