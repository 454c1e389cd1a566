using System.Security.Claims;
using BackOffice.Bridge.Contracts;
using BackOffice.Web.Bridge;
using Serilog;
using Serilog.Events;

namespace BackOffice.Web;

/// <summary>
/// One line per HTTP request (Serilog's request logging): method, path, status, duration, the caller's role and, for a
/// box on the hub, its code. Never the query string (a SignalR client may carry a key there), headers (cookies, API
/// keys) or bodies (personal data). Health probes log at Debug so they do not drown the rest.
/// </summary>
internal static class RequestLogging
{
    public const string MessageTemplate =
        "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms (role {UserRole}, box {BoxCode})";

    /// <summary>No role: not signed in, or a refused key.</summary>
    public const string Anonymous = "anonymous";

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger: without it the middleware writes to the static Log.Logger (the bootstrap logger).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = MessageTemplate;
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug
                : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set("UserRole", RoleOf(context.User));
                diagnostics.Set("BoxCode", context.Request.Path.StartsWithSegments(BridgeProtocol.HubPath)
                    ? context.User.FindFirstValue(BoxClaims.BoxCode) ?? "-"
                    : "-");
            };
        });

    /// <summary>The staff roles, <c>Box</c> for a bridge, the scheme (<c>ApiKey</c>) for an API client, else <see cref="Anonymous"/>.</summary>
    internal static string RoleOf(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }
        if (user.HasClaim(c => c.Type == BoxClaims.BoxCode))
        {
            return "Box";
        }
        var roles = user.Identities.SelectMany(i => i.FindAll(i.RoleClaimType)).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        return roles.Count > 0 ? string.Join(",", roles)
            : user.Identity.AuthenticationType ?? Anonymous;
    }
}
