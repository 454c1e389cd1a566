using BackOffice.Application.Boxes;
using BackOffice.Application.Common;
using BackOffice.Application.Inventories;
using BackOffice.Application.Reports;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Reports;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Inventory;

/// <summary>
/// Inventur: a supervisor starts an inventory of a box or a module and walks it compartment by compartment: the page
/// opens the next one, the supervisor says what is inside, and the next opens only after the box reported the door
/// closed. The run is followed live (<see cref="InventoryRuns.Changed"/>) and is in the address, so a reload, another
/// screen or a restart finds it again.
/// </summary>
public sealed partial class InventoryPage : IDisposable
{
    private IReadOnlyList<BoxSummary> _boxes = [];
    private IReadOnlyList<int> _modules = [];
    private IReadOnlyList<InventorySummary> _runs = [];
    private InventorySnapshot? _snapshot;
    private Guid _boxId;
    private int _module;
    private string _foundNumber = "";
    private string? _message;
    private bool _busy;

    /// <summary>The run shown: in the address, so a reload comes back to it.</summary>
    [SupplyParameterFromQuery(Name = "lauf")]
    public Guid? InventoryId { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private InventoryRuns Runs { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider TimeProvider { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override void OnInitialized() => Runs.Changed += OnRunChanged;

    protected override async Task OnParametersSetAsync()
    {
        _message = null;
        if (InventoryId is { } id)
        {
            _snapshot = await Runs.GetAsync(id);
            if (_snapshot is not null)
            {
                return;
            }
        }
        _snapshot = null;
        _boxes = await Boxes.ListAsync();
        if (_boxId == Guid.Empty && _boxes.Count > 0)
        {
            await BoxChangedAsync(_boxes[0].Id);
        }
        _runs = await Runs.ListAsync();
    }

    private async Task BoxChangedAsync(Guid boxId)
    {
        _boxId = boxId;
        _module = 0;
        _modules = await Runs.ModulesAsync(boxId);
    }

    private async Task StartAsync()
    {
        _busy = true;
        try
        {
            var (id, refusal) = await Runs.StartAsync(_boxId, _module == 0 ? null : _module, await AuthenticationState.ActorAsync());
            if (id is null)
            {
                _message = Localizer.Refusal(refusal!);
                return;
            }
            Navigation.NavigateTo($"inventur?lauf={id}");
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task OpenNextAsync()
    {
        _busy = true;
        _message = null;
        try
        {
            var refusal = await Runs.OpenNextAsync(_snapshot!.Inventory.Id, await AuthenticationState.ActorAsync());
            _message = refusal is null ? null : Localizer.Refusal(refusal);
            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RecordAsync(InventoryItem item, InventoryFinding finding)
    {
        var refusal = await Runs.RecordAsync(_snapshot!.Inventory.Id, item.Id, finding,
            finding == InventoryFinding.WrongDocument ? _foundNumber : null, await AuthenticationState.ActorAsync());
        _message = refusal is null ? null : Localizer.Refusal(refusal);
        if (refusal is null)
        {
            _foundNumber = "";
        }
        await ReloadAsync();
    }

    private async Task PauseAsync() =>
        await StepAsync(async actor => await Runs.PauseAsync(_snapshot!.Inventory.Id, actor, Localizer["Inventory.PausedByHand"]));

    private async Task ResumeAsync() => await StepAsync(actor => Runs.ResumeAsync(_snapshot!.Inventory.Id, actor));

    private async Task CancelAsync() => await StepAsync(actor => Runs.CancelAsync(_snapshot!.Inventory.Id, actor));

    private async Task StepAsync(Func<string, Task<Refusal?>> step)
    {
        var refusal = await step(await AuthenticationState.ActorAsync());
        _message = refusal is null ? null : Localizer.Refusal(refusal);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (_snapshot is { } snapshot)
        {
            _snapshot = await Runs.GetAsync(snapshot.Inventory.Id);
        }
    }

    private string ExpectedText(InventoryItem item) =>
        item.ExpectedDocumentIds.Count == 0 ? Localizer["Inventory.NothingExpected"] : string.Join(", ", _snapshot!.ExpectedNumbers(item));

    private string FindingText(InventoryItem item) => item switch
    {
        { Status: InventoryItemStatus.NotOpened } => Localizer["Inventory.NotOpened", item.Note ?? ""],
        { Finding: InventoryFinding.WrongDocument } => Localizer["Inventory.WrongFound", item.FoundDocumentNumber ?? ""],
        { Finding: { } finding } => Localizer[$"InventoryFinding.{finding}"],
        { Status: InventoryItemStatus.Opening or InventoryItemStatus.Open } => Localizer["Inventory.InProgress"],
        _ => "",
    };

    /// <summary>The Bestandsprotokoll of the run's box for the days the run covered.</summary>
    private string ProtocolUrl(ReportFileFormat format)
    {
        var inventory = _snapshot!.Inventory;
        var from = DateOnly.FromDateTime(OfficeClock.ToOfficeTime(inventory.StartedAt).DateTime);
        var to = DateOnly.FromDateTime(OfficeClock.ToOfficeTime(inventory.EndedAt ?? TimeProvider.GetUtcNow()).DateTime);
        return ReportEndpoints.Url(ReportKind.InventoryProtocol, format, new ReportRequest(ReportKind.InventoryProtocol, _snapshot.BoxCode, from, to));
    }

    /// <summary>Runs on the thread that changed the run: only hand the refresh to the circuit.</summary>
    private void OnRunChanged(Guid inventoryId)
    {
        if (_snapshot?.Inventory.Id != inventoryId)
        {
            return;
        }
        _ = InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        });
    }

    public void Dispose() => Runs.Changed -= OnRunChanged;
}
