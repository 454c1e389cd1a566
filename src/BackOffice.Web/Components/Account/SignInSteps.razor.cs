using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Account;

/// <summary>
/// The steps of a local sign-in after the password (<see cref="SignInStep"/>): the code of the authenticator app, a new
/// password in place of a one-time password, an admin's enrolment. Without a sign-in under way (or once it no longer
/// holds: disabled, reset, expired) the page sends the browser back to the sign-in page.
/// </summary>
public partial class SignInSteps
{
    public const string Path = "/Account/SignInStep";

    private PendingSignIn? _pending;
    private AuthenticatorSetup? _setup;
    private IReadOnlyList<string>? _recoveryCodes;
    private string? _error;

    public static string Url(string? returnUrl) => $"{Path}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(returnUrl))}";

    [SupplyParameterFromForm(FormName = "code", Name = "Code")]
    private CodeInput? CodeForm { get; set; }

    [SupplyParameterFromForm(FormName = "enrol", Name = "Code")]
    private CodeInput? EnrolForm { get; set; }

    [SupplyParameterFromForm(FormName = "password")]
    private PasswordInput? NewPassword { get; set; }

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [Inject]
    private StaffSignIn StaffSignIn { get; set; } = default!;

    [Inject]
    private TwoFactorEnrolment Enrolment { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    private CodeInput? Code => _pending?.Step == SignInStep.EnrolTwoFactor ? EnrolForm : CodeForm;

    private string Continue => LocalUrl.OrHome(ReturnUrl);

    private string Title => _recoveryCodes is not null ? Localizer["TwoFactor.RecoveryCodesTitle"]
        : _pending?.Step switch
        {
            SignInStep.ChangePassword => Localizer["SignInStep.Password.Title"],
            SignInStep.EnrolTwoFactor => Localizer["SignInStep.Enrol.Title"],
            _ => Localizer["SignInStep.Code.Title"],
        };

    private static readonly Dictionary<string, object?> CodeAttributes = new()
    {
        ["name"] = "Code.Value",
        ["autocomplete"] = "one-time-code",
        ["inputmode"] = "numeric",
        ["data-autofocus"] = true,
        ["aria-required"] = "true",
    };

    private static readonly Dictionary<string, object?> NewPasswordAttributes = new()
    {
        ["name"] = "NewPassword.Password",
        ["autocomplete"] = "new-password",
        ["data-autofocus"] = true,
        ["aria-required"] = "true",
    };

    private static readonly Dictionary<string, object?> RepeatAttributes = new()
    {
        ["name"] = "NewPassword.Repeat",
        ["autocomplete"] = "new-password",
        ["aria-required"] = "true",
    };

    protected override async Task OnInitializedAsync()
    {
        CodeForm ??= new CodeInput();
        EnrolForm ??= new CodeInput();
        NewPassword ??= new PasswordInput();
        // A form post handler runs after this; it needs the sign-in under way too.
        _pending = await StaffSignIn.PendingAsync();
        if (_pending is null && HttpMethods.IsGet(HttpContext.Request.Method))
        {
            Navigation.NavigateTo(AccountEndpoints.LoginPath);
            return;
        }
        await LoadSetupAsync();
    }

    private async Task SubmitCodeAsync()
    {
        if (_pending is null)
        {
            Navigation.NavigateTo(AccountEndpoints.LoginPath);
            return;
        }
        var step = await StaffSignIn.TwoFactorSignInAsync(_pending, CodeForm?.Value ?? "", RateLimits.ClientAddress(HttpContext));
        await AfterAsync(step, Localizer["SignInStep.Code.Wrong"]);
        CodeForm = new CodeInput();
    }

    private async Task SubmitPasswordAsync()
    {
        if (_pending is null)
        {
            Navigation.NavigateTo(AccountEndpoints.LoginPath);
            return;
        }
        var input = NewPassword ?? new PasswordInput();
        if (string.IsNullOrEmpty(input.Password) || input.Password != input.Repeat)
        {
            _error = Localizer["SignInStep.Password.Mismatch"];
            return;
        }
        if (input.Password.Length > 256)
        {
            _error = Localizer["SignInStep.Password.Policy"];
            return;
        }
        var (step, errors) = await StaffSignIn.ChangePasswordAsync(_pending, input.Password, RateLimits.ClientAddress(HttpContext));
        var error = errors.Any(e => e.Code == StaffSignIn.SamePasswordError)
            ? Localizer["SignInStep.Password.Same"].Value
            : Localizer["SignInStep.Password.Policy"].Value;
        await AfterAsync(step, error);
        NewPassword = new PasswordInput();
    }

    private async Task SubmitEnrolmentAsync()
    {
        if (_pending is null)
        {
            Navigation.NavigateTo(AccountEndpoints.LoginPath);
            return;
        }
        var (step, codes) = await StaffSignIn.ConfirmEnrolmentAsync(_pending, EnrolForm?.Value ?? "", RateLimits.ClientAddress(HttpContext));
        if (codes is not null)
        {
            // Shown once, on this answer; the sign-in (or the next step) is already written.
            _recoveryCodes = codes;
            if (step != SignInStep.SignedIn)
            {
                _pending = await StaffSignIn.PendingAsync();
            }
            return;
        }
        await AfterAsync(step, Localizer["SignInStep.Code.Wrong"]);
        EnrolForm = new CodeInput();
    }

    /// <summary>Signed in: where the person wanted to go. Another step: that step's form. Refused here: the error.</summary>
    private async Task AfterAsync(SignInStep step, string error)
    {
        if (step == SignInStep.SignedIn)
        {
            Navigation.NavigateTo(Continue);
            return;
        }
        if (step == _pending?.Step || step == SignInStep.Refused)
        {
            _error = error;
            // The pending cookie still holds unless the code locked the account.
            _pending = await StaffSignIn.PendingAsync();
            if (_pending is null)
            {
                Navigation.NavigateTo(AccountEndpoints.LoginPath);
            }
            return;
        }
        Navigation.NavigateTo(Url(ReturnUrl));
    }

    private async Task LoadSetupAsync() =>
        _setup = _pending?.Step == SignInStep.EnrolTwoFactor ? await Enrolment.SetupAsync(_pending.User.Id) : null;

    private sealed class CodeInput
    {
        public string? Value { get; set; }
    }

    private sealed class PasswordInput
    {
        public string? Password { get; set; }

        public string? Repeat { get; set; }
    }
}
