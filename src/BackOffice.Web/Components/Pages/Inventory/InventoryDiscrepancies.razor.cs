using BackOffice.Application.Inventories;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Inventory;

/// <summary>
/// The clerks' task list after inventories: each compartment found empty or holding a wrong document, settled by
/// reporting the documents missing ("vermisst") or taking them back to the counter, after a confirmation.
/// </summary>
public sealed partial class InventoryDiscrepancies
{
    private IReadOnlyList<InventoryDiscrepancy> _open = [];

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private InventoryRuns Runs { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _open = await Runs.OpenDiscrepanciesAsync();

    private async Task ResolveAsync(InventoryDiscrepancy discrepancy, InventoryResolution resolution)
    {
        var numbers = string.Join(", ", discrepancy.ExpectedNumbers);
        if (!await Dialogs.ConfirmAsync(Localizer["Discrepancies.ConfirmTitle", discrepancy.CompartmentLabel, discrepancy.BoxCode],
                Localizer[$"Discrepancies.Confirm.{resolution}", numbers], Localizer[$"InventoryResolution.{resolution}"], Localizer["Common.Cancel"]))
        {
            return;
        }
        var refusal = await Runs.ResolveAsync(discrepancy.ItemId, resolution, await AuthenticationState.ActorAsync());
        Notifier.Result(refusal is null ? null : Localizer.Refusal(refusal), Localizer["Discrepancies.Done", discrepancy.CompartmentLabel]);
        _open = await Runs.OpenDiscrepanciesAsync();
    }
}
