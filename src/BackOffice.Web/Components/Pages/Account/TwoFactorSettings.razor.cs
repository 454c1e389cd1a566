using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Account;

/// <summary>
/// "Zwei-Faktor-Anmeldung" for one's own local account: set up an authenticator app (QR code, key, first code),
/// recovery codes (shown once), turn it off where it is not required.
/// </summary>
public partial class TwoFactorSettings
{
    private TwoFactorStatus? _status;
    private AuthenticatorSetup? _setup;
    private IReadOnlyList<string>? _recoveryCodes;
    private string? _code;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private TwoFactorEnrolment Enrolment { get; set; } = default!;

    [Inject]
    private IOptions<StaffAuthenticationOptions> Authentication { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    private bool IsDirectory => Authentication.Value.IsDirectory;

    protected override async Task OnInitializedAsync()
    {
        if (!IsDirectory)
        {
            _status = await Enrolment.StatusAsync(await UserIdAsync());
        }
    }

    private async Task<Guid> UserIdAsync() => (await AuthenticationState.AccountActorAsync()).UserId;

    private async Task BeginAsync() => _setup = await Enrolment.SetupAsync(await UserIdAsync());

    private async Task ConfirmAsync()
    {
        var codes = await Enrolment.ConfirmAsync(await UserIdAsync(), _code ?? "");
        _code = null;
        if (codes is null)
        {
            Notifier.Error(Localizer["SignInStep.Code.Wrong"], Localizer["Nav.TwoFactor"]);
            return;
        }
        _recoveryCodes = codes;
        Notifier.Success(Localizer["TwoFactor.Enabled"], Localizer["Nav.TwoFactor"]);
    }

    private async Task NewCodesAsync()
    {
        if (await Dialogs.ConfirmAsync(Localizer["TwoFactor.NewCodes"], Localizer["TwoFactor.NewCodes.Confirm"], Localizer["TwoFactor.NewCodes"], Localizer["Common.Cancel"]))
        {
            _recoveryCodes = await Enrolment.NewRecoveryCodesAsync(await UserIdAsync());
        }
    }

    private async Task DisableAsync()
    {
        if (!await Dialogs.ConfirmAsync(Localizer["TwoFactor.Disable"], Localizer["TwoFactor.Disable.Confirm"], Localizer["TwoFactor.Disable"], Localizer["Common.Cancel"]))
        {
            return;
        }
        var disabled = await Enrolment.DisableAsync(await UserIdAsync());
        Notifier.Result(disabled ? null : Localizer["TwoFactor.DisableRefused"].Value, Localizer["TwoFactor.Disabled"], Localizer["Nav.TwoFactor"]);
        await DoneAsync();
    }

    private async Task DoneAsync()
    {
        _recoveryCodes = null;
        _setup = null;
        _status = await Enrolment.StatusAsync(await UserIdAsync());
    }
}
