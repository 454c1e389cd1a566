using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Components.Account;

/// <summary>Staff sign-in. Rendered statically (no circuit) because signing in writes a cookie on the HTTP response.</summary>
public partial class Login
{
    private string? _error;

    [SupplyParameterFromForm(FormName = "login")]
    private LoginInput? Input { get; set; }

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    /// <summary><see cref="AccountEndpoints.IdleReason"/> after an idle sign-out.</summary>
    [SupplyParameterFromQuery]
    private string? Reason { get; set; }

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [Inject]
    private StaffSignIn StaffSignIn { get; set; } = default!;

    [Inject]
    private IOptions<StaffAuthenticationOptions> Authentication { get; set; } = default!;

    /// <summary>Staff sign in at the city's directory: a button to the provider instead of the password form.</summary>
    private bool IsDirectory => Authentication.Value.IsDirectory;

    private string DirectoryChallengeUrl =>
        $"{DirectoryAuthentication.ChallengePath}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(ReturnUrl))}";

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    // The names the form post binds (LoginInput below), the browser's autocomplete hints, and where typing starts
    // (js/autofocus.js: without a circuit MudBlazor's AutoFocus does nothing).
    private static readonly Dictionary<string, object?> EmailAttributes = new()
    {
        ["name"] = "Input.Email",
        ["autocomplete"] = "username",
        ["data-autofocus"] = true,
        ["aria-required"] = "true",
    };

    private static readonly Dictionary<string, object?> PasswordAttributes = new()
    {
        ["name"] = "Input.Password",
        ["autocomplete"] = "current-password",
        ["aria-required"] = "true",
    };

    protected override void OnInitialized() => Input ??= new LoginInput();

    private async Task SignInAsync()
    {
        Input ??= new LoginInput();
        if (IsDirectory)
        {
            // No local passwords while the directory signs staff in.
            _error = Localizer["Login.Failed"];
            return;
        }
        var email = Input.Email?.Trim() ?? "";
        if (email.Length == 0 || string.IsNullOrEmpty(Input.Password))
        {
            _error = Localizer["Login.Missing"];
            return;
        }
        if (email.Length > 256 || Input.Password.Length > 512)
        {
            _error = Localizer["Login.Failed"];
            return;
        }

        // Audit and logging happen inside; an unknown account, a wrong password, a lock and a disabled account all come
        // back as Refused.
        var step = await StaffSignIn.PasswordSignInAsync(email, Input.Password, RateLimits.ClientAddress(HttpContext));
        if (step == SignInStep.SignedIn)
        {
            Navigation.NavigateTo(LocalUrl.OrHome(ReturnUrl));
            return;
        }
        if (step != SignInStep.Refused)
        {
            // The password was right; the account has a step left (code, new password, enrolment) before it is signed in.
            Navigation.NavigateTo(SignInSteps.Url(ReturnUrl));
            return;
        }
        // One text for every refusal: the page never confirms that an account exists or is locked.
        _error = Localizer["Login.Failed"];
        Input.Password = "";
    }

    private sealed class LoginInput
    {
        public string? Email { get; set; }

        public string Password { get; set; } = "";
    }
}
