using BackOffice.Infrastructure.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Radzen;

namespace BackOffice.Web.Components.Pages;

public partial class Administration
{
    private IReadOnlyList<StaffAccountSummary>? _accounts;

    [Inject]
    private StaffDirectory Staff { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _accounts = await Staff.ListAsync();

    private async Task UnlockAsync(StaffAccountSummary account)
    {
        var unlocked = await Staff.UnlockAsync(account.Id);
        Notifications.Notify(
            unlocked ? NotificationSeverity.Success : NotificationSeverity.Error,
            Localizer["Admin.StaffAccounts"],
            unlocked ? Localizer["Admin.Unlocked", account.DisplayName] : Localizer["Admin.UnlockFailed"]);
        _accounts = await Staff.ListAsync();
    }
}
