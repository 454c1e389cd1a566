using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

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

    [Inject]
    private SignInManager<StaffUser> SignInManager { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider TimeProvider { get; set; } = default!;

    [Inject]
    private ILogger<Login> Logger { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [Inject]
    private AuditTrail Audit { get; set; } = default!;

    protected override void OnInitialized() => Input ??= new LoginInput();

    private async Task SignInAsync()
    {
        Input ??= new LoginInput();
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

        var result = await SignInManager.PasswordSignInAsync(email, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await RecordSignInAsync(email);
            Navigation.NavigateTo(LocalUrl.OrHome(ReturnUrl));
            return;
        }

        // The attempted name is a staff account name (never a citizen's data); the password never leaves this method.
        await Audit.WriteAsync(AuditTrail.Staff(email), "staff.signin", $"user:{email}",
            result.IsLockedOut ? "locked_out" : result.IsNotAllowed ? "not_allowed" : "failed");
        if (result.IsLockedOut)
        {
            Logger.LogWarning("Sign-in refused for {UserName}: account locked out", email);
            _error = Localizer["Login.LockedOut", (int)StaffIdentityOptions.LockoutDuration.TotalMinutes];
        }
        else
        {
            Logger.LogWarning("Sign-in failed for {UserName}", email);
            // The same text for an unknown account and a wrong password: the page never confirms an account exists.
            _error = Localizer["Login.Failed"];
        }
        Input.Password = "";
    }

    private async Task RecordSignInAsync(string email)
    {
        var user = await SignInManager.UserManager.FindByNameAsync(email);
        if (user is not null)
        {
            user.LastSignInAt = TimeProvider.GetUtcNow();
            await SignInManager.UserManager.UpdateAsync(user);
        }
        await Audit.WriteAsync(AuditTrail.Staff(email), "staff.signin", $"user:{email}", "ok");
        Logger.LogInformation("Staff member {UserName} signed in", email);
    }

    private sealed class LoginInput
    {
        public string? Email { get; set; }

        public string Password { get; set; } = "";
    }
}
