using BackOffice.Application.Boxes;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Admin;

public partial class Administration
{
    private IReadOnlyList<StaffAccountSummary>? _accounts;
    private IReadOnlyList<BoxSummary>? _boxes;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private StaffDirectory Staff { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _boxes = await Boxes.ListAsync();
        _accounts = await Staff.ListAsync();
    }

    private void OpenBox(BoxSummary box) => Navigation.NavigateTo($"verwaltung/boxen/{box.Id}");

    private async Task UnlockAsync(StaffAccountSummary account)
    {
        var unlocked = await Staff.UnlockAsync(account.Id, await AuthenticationState.ActorAsync());
        Notifier.Result(unlocked ? null : Localizer["Admin.UnlockFailed"].Value, Localizer["Admin.Unlocked", account.DisplayName],
            Localizer["Admin.StaffAccounts"]);
        _accounts = await Staff.ListAsync();
    }
}
