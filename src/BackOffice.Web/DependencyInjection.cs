using System.Globalization;
using System.Security.Claims;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Api;
using BackOffice.Web.Bridge;
using BackOffice.Web.Privacy;
using BackOffice.Web.Components;
using BackOffice.Web.Reports;
using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using BackOffice.Web.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BackOffice.Web;

public static class DependencyInjection
{
    public static CultureInfo UiCulture { get; } = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>Blazor Server with MudBlazor, staff sign-in, German UI, security baseline.</summary>
    public static WebApplicationBuilder AddWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var isDevelopment = builder.Environment.IsDevelopment();
        // Development runs on plain http://127.0.0.1; everywhere else cookies travel over HTTPS only.
        var cookieSecurity = isDevelopment ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddOfficeUi();
        services.AddScoped<OpeningFeedback>();
        services.AddSingleton<IReportLookups, ReportLookups>();
        services.AddLocalization(options => options.ResourcesPath = "Resources");

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddScoped<OpenPage>();
        services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddScoped<IdleSession>();
        services.AddSingleton<DevelopmentSecretsValidator>();
        services.AddSingleton<IValidateOptions<BackOffice.Application.Pickup.PickupOptions>>(p => p.GetRequiredService<DevelopmentSecretsValidator>());
        services.AddSingleton<IValidateOptions<BackOffice.Application.Privacy.PrivacyOptions>>(p => p.GetRequiredService<DevelopmentSecretsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, IdleTimeoutCircuitHandler>());
        builder.AddStaffAuthenticationOptions();
        var directoryMode = DirectoryAuthentication.ModeOf(builder.Configuration) != StaffAuthenticationMode.Local;
        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            });
        authentication.AddIdentityCookies();
        builder.AddDirectorySignIn(authentication, isDevelopment);
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = AccountEndpoints.LoginPath;
            options.LogoutPath = AccountEndpoints.LogoutPath;
            options.AccessDeniedPath = AccountEndpoints.AccessDeniedPath;
            // 403 on the address asked for, with the access-denied page as its body (not a redirect to that page).
            options.Events.OnRedirectToAccessDenied = AccessDeniedResponses.ForbidAsync;
            options.Cookie.Name = "Ausgabebox.Auth";
            options.Cookie.HttpOnly = true;
            // Strict would be lost on the way back from the directory's sign-in page: the redirect chain that ends on the
            // app starts on the provider's site, and the browser would not send a Strict cookie on it.
            options.Cookie.SameSite = directoryMode ? SameSiteMode.Lax : SameSiteMode.Strict;
            options.Cookie.SecurePolicy = cookieSecurity;
            // Sliding over the idle timeout (set below). An open page makes no HTTP requests, so while someone works the
            // browser fetches the keep-alive path, which renews the cookie every time (not only after half the window).
            options.SlidingExpiration = true;
            // Every sign-in gets a session id of its own (a claim, kept when the cookie is renewed or its claims refreshed),
            // so a sign-out ends this one sign-in everywhere: a copy of its cookie that comes back later is refused
            // (EndedSignIns), and its open pages end (RevalidatingIdentityStateProvider).
            var signingIn = options.Events.OnSigningIn;
            options.Events.OnSigningIn = async context =>
            {
                await signingIn(context);
                if (context.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == AccountEndpoints.SessionClaim))
                {
                    identity.AddClaim(new Claim(AccountEndpoints.SessionClaim, EndedSignIns.NewSessionId()));
                }
            };
            var validateSecurityStamp = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                await validateSecurityStamp(context);
                if (context.Principal?.FindFirst(AccountEndpoints.SessionClaim)?.Value is { } session
                    && await context.HttpContext.RequestServices.GetRequiredService<EndedSignIns>().HasEndedAsync(session, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                // A directory sign-in ends after Authentication:SessionLifetime, however active the person is.
                if (context.Principal is not null
                    && DirectoryClaims.HasExpired(context.Principal, context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                if (context.Principal is not null && context.Request.Path.Equals(AccountEndpoints.KeepAlivePath, StringComparison.OrdinalIgnoreCase))
                {
                    context.ShouldRenew = true;
                }
            };
        });
        // The short-lived cookie that carries a local sign-in between its steps (code, new password, enrolment).
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, options =>
        {
            options.Cookie.Name = "Ausgabebox.SignInStep";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = cookieSecurity;
            // Time to install an authenticator app; the steps need no more.
            options.ExpireTimeSpan = TimeSpan.FromMinutes(15);
        });
        // A page request checks the account's security stamp as often as an open page does (disabled, role changed, reset).
        services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<SecurityOptions>>((options, settings) => options.ValidationInterval = settings.Value.RevalidationInterval);
        // Identity refreshes the cookie's claims from the staff record: the sign-in's session id stays with it.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            var refreshing = options.OnRefreshingPrincipal;
            options.OnRefreshingPrincipal = async context =>
            {
                if (refreshing is not null)
                {
                    await refreshing(context);
                }
                if (context.CurrentPrincipal?.FindFirst(AccountEndpoints.SessionClaim) is { } session
                    && context.NewPrincipal?.Identity is ClaimsIdentity refreshed && !refreshed.HasClaim(c => c.Type == AccountEndpoints.SessionClaim))
                {
                    refreshed.AddClaim(new Claim(session.Type, session.Value));
                }
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SecurityOptions>>((options, settings) => options.ExpireTimeSpan = settings.Value.IdleTimeout);
        services.AddAuthorization(AuthorizationPolicies.Configure);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "Ausgabebox.Antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = cookieSecurity;
        });
        builder.AddBridgeHub();
        builder.AddDocumentsApi();
        builder.AddReverseProxy();
        builder.AddRateLimits();
        builder.AddTelemetry();
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        return builder;
    }

    /// <summary>A browser navigating to a page (it asks for HTML); fetches, the API, the hub and health checks do not.</summary>
    private static bool IsPageRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
        && !context.Request.Path.StartsWithSegments("/_blazor");

    /// <summary>The request pipeline, in the order the middleware must run.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseReverseProxy();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseSecurityHeaders();
        app.UseRequestLogging();
        // A typed unknown address gets the German not-found page in the shell; everything that is not a page keeps its
        // own answer (problem details, bare status codes).
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            // Not inside UseWhen: a branch loses the route builder the re-execution needs to find the page.
            if (!IsPageRequest(context) && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }
            return next(context);
        });
        app.UseRequestLocalization(options =>
        {
            options.DefaultRequestCulture = new Microsoft.AspNetCore.Localization.RequestCulture(UiCulture);
            options.SupportedCultures = [UiCulture];
            options.SupportedUICultures = [UiCulture];
        });
        app.UseAccessDeniedPage();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimits();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapDirectorySignIn();
        app.MapBridgeHub();
        app.MapDocumentsApi();
        app.MapReportEndpoints();
        app.MapPrivacyEndpoints();
        app.MapHealthEndpoints();
        app.MapTelemetryEndpoints();
        return app;
    }
}
