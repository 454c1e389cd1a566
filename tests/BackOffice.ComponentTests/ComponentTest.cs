using System.Globalization;
using System.Security.Claims;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Components;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.ComponentTests;

/// <summary>
/// What every component test needs: MudBlazor's services with the app's German texts (<see cref="OfficeUi"/>), the
/// app's own resources in de-DE, JS interop in loose mode (MudBlazor's calls answer with defaults), and, when a test
/// signs someone in, the app's real authorization policies deciding what that person sees.
/// </summary>
public abstract class ComponentTest : BunitContext
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    protected ComponentTest()
    {
        CultureInfo.CurrentCulture = German;
        CultureInfo.CurrentUICulture = German;
        JSInterop.Mode = JSRuntimeMode.Loose;

        // The app's resource files, not bUnit's placeholder localizer (which refuses every key).
        Services.AddLocalization(options => options.ResourcesPath = "Resources");
        Services.AddSingleton<IStringLocalizerFactory, ResourceManagerStringLocalizerFactory>();
        Services.AddTransient(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        Services.AddOfficeUi();
        // The box dashboard's capacity warning reads the forecast; without one it shows nothing (CapacityWarningTests sets its own).
        Services.AddSingleton<BackOffice.Application.Forecast.ICapacityForecasts>(new BackOffice.ComponentTests.Controls.StubForecasts(null));
        Services.AddSingleton(TimeProvider.System);
    }

    /// <summary>Signs a member of staff in with these roles; <see cref="AuthorizeView"/> asks the app's real policies.</summary>
    protected void SignIn(string displayName, params string[] roles)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, $"{displayName.Split(' ')[0].ToLowerInvariant()}@demo.local"),
            new(StaffClaims.DisplayName, displayName),
        };
        claims.AddRange(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var user = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));

        Services.AddAuthorizationCore(AuthorizationPolicies.Configure);
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<AuthenticationStateProvider>(new SignedIn(user));
        Services.AddCascadingAuthenticationState();
    }

    private sealed class SignedIn(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
