using BackOffice.Application.Common;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Admin;

/// <summary>
/// Verwaltung → Mitarbeiterkonten: local accounts with role, state, second factor and last sign-in, and what an admin
/// may do with them (<see cref="LocalAccounts"/>). In the directory modes the staff records, read only.
/// </summary>
public partial class StaffAccounts
{
    private IReadOnlyList<StaffAccountSummary>? _accounts;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private StaffDirectory Directory { get; set; } = default!;

    [Inject]
    private LocalAccounts Accounts { get; set; } = default!;

    [Inject]
    private IOptions<StaffAuthenticationOptions> Authentication { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    private bool IsDirectory => Authentication.Value.IsDirectory;

    /// <summary>Local mode: the local accounts. Directory modes: the directory's staff records.</summary>
    private IReadOnlyList<StaffAccountSummary>? Shown => _accounts?.Where(a => a.IsDirectory == IsDirectory).ToList();

    protected override async Task OnInitializedAsync() => _accounts = await Directory.ListAsync();

    private string StateText(StaffAccountSummary account) =>
        account.IsDisabled ? Localizer["Accounts.State.Disabled"]
        : account.LockedOutUntil is { } until ? Localizer["Admin.LockedUntil", OfficeClock.Format(until)]
        : account.AddressLocks is { } addresses ? Localizer["Admin.AddressesLocked", addresses.Addresses, OfficeClock.Format(addresses.Until)]
        : account.MustChangePassword ? Localizer["Accounts.State.OneTimePassword"]
        : Localizer["Admin.Active"];

    private async Task CreateAsync()
    {
        if (await Dialogs.AskNewAccountAsync(Localizer["Accounts.New"]) is not { Email: { } email, DisplayName: { } name, Role: { } role })
        {
            return;
        }
        var result = await Accounts.CreateAsync(email, name, role, await AuthenticationState.AccountActorAsync());
        await AnswerAsync(result, Localizer["Accounts.Created", name.Trim()], email.Trim());
    }

    private async Task ChangeRoleAsync(StaffAccountSummary account, string role)
    {
        var roleName = Localizer[$"Role.{role}"].Value;
        if (!await Dialogs.ConfirmAsync(Localizer["Accounts.MakeRole", roleName], Localizer["Accounts.MakeRole.Confirm", account.DisplayName, roleName],
                Localizer["Accounts.MakeRole", roleName], Localizer["Common.Cancel"]))
        {
            return;
        }
        await AnswerAsync(await Accounts.ChangeRoleAsync(account.Id, role, await AuthenticationState.AccountActorAsync()),
            Localizer["Accounts.RoleChanged", account.DisplayName, roleName]);
    }

    private async Task SetDisabledAsync(StaffAccountSummary account, bool disabled)
    {
        if (disabled && !await Dialogs.ConfirmAsync(Localizer["Accounts.Disable"], Localizer["Accounts.Disable.Confirm", account.DisplayName],
                Localizer["Accounts.Disable"], Localizer["Common.Cancel"]))
        {
            return;
        }
        await AnswerAsync(await Accounts.SetDisabledAsync(account.Id, disabled, await AuthenticationState.AccountActorAsync()),
            Localizer[disabled ? "Accounts.Disabled" : "Accounts.Enabled", account.DisplayName]);
    }

    private async Task UnlockAsync(StaffAccountSummary account) =>
        await AnswerAsync(await Accounts.UnlockAsync(account.Id, await AuthenticationState.AccountActorAsync()),
            Localizer["Admin.Unlocked", account.DisplayName]);

    private async Task ResetPasswordAsync(StaffAccountSummary account)
    {
        if (!await Dialogs.ConfirmAsync(Localizer["Accounts.ResetPassword"], Localizer["Accounts.ResetPassword.Confirm", account.DisplayName],
                Localizer["Accounts.ResetPassword"], Localizer["Common.Cancel"]))
        {
            return;
        }
        await AnswerAsync(await Accounts.ResetPasswordAsync(account.Id, await AuthenticationState.AccountActorAsync()),
            Localizer["Accounts.PasswordReset", account.DisplayName], account.Email);
    }

    private async Task ResetTwoFactorAsync(StaffAccountSummary account)
    {
        if (!await Dialogs.ConfirmAsync(Localizer["Accounts.ResetTwoFactor"], Localizer["Accounts.ResetTwoFactor.Confirm", account.DisplayName],
                Localizer["Accounts.ResetTwoFactor"], Localizer["Common.Cancel"]))
        {
            return;
        }
        await AnswerAsync(await Accounts.ResetTwoFactorAsync(account.Id, await AuthenticationState.AccountActorAsync()),
            Localizer["Accounts.TwoFactorReset", account.DisplayName]);
    }

    /// <summary>The refusal in German, or the success; a one-time password is shown once in a dialog.</summary>
    private async Task AnswerAsync(AccountResult result, string success, string? account = null)
    {
        if (result.Refusal is { } refusal)
        {
            Notifier.Error(Localizer[$"Accounts.Refusal.{refusal}"], Localizer["Nav.StaffAccounts"]);
        }
        else
        {
            // The one-time password first: it is what the admin must act on; the notice follows once it is closed.
            if (result.OneTimePassword is { } password)
            {
                await Dialogs.ShowOneTimePasswordAsync(Localizer["Accounts.OneTimePassword.Title"], account ?? "", password);
            }
            Notifier.Success(success, Localizer["Nav.StaffAccounts"]);
        }
        _accounts = await Directory.ListAsync();
    }
}
