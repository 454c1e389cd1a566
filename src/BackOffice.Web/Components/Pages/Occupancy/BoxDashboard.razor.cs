using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Bridge;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Radzen;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>
/// One box live: every compartment laid out as the box stands, filters and search, the selected compartment's details
/// with the actions the role allows, and the charts of the last 30 days.
/// </summary>
public partial class BoxDashboard : IAsyncDisposable
{
    private static readonly CompartmentSize?[] SizeOptions = [CompartmentSize.S, CompartmentSize.M, CompartmentSize.L];

    private readonly Dictionary<Guid, CompartmentCell> _byId = [];
    private IReadOnlyList<CompartmentCell> _cells = [];
    private BoxOccupancy? _summary;
    private BoxStatistics? _statistics;
    private CompartmentCell? _selected;
    private OccupancyFeed? _feed;
    private bool _loaded;
    private bool _busy;
    private IEnumerable<CellState> _states = [];
    private CompartmentSize? _size;
    private string _search = "";
    private Guid? _searchHit;
    private string? _searchMessage;
    private IReadOnlyList<object> _stateOptions = [];

    [Parameter]
    public string Code { get; set; } = "";

    [Inject]
    private BoxMonitor Monitor { get; set; } = default!;

    [Inject]
    private OccupancyStatistics Statistics { get; set; } = default!;

    [Inject]
    private OpeningFeedback Openings { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private IEnumerable<CompartmentSize?> _sizes => SizeOptions;

    protected override async Task OnParametersSetAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
            _feed = null;
        }
        _stateOptions = Enum.GetValues<CellState>().Select(s => (object)new { Text = Localizer[$"CellState.{s}"].Value, Value = s }).ToList();
        var boxId = await Monitor.FindBoxAsync(Code);
        _loaded = true;
        if (boxId is null)
        {
            _summary = null;
            return;
        }
        var subscription = Monitor.Subscribe(boxId);
        _feed = OccupancyFeed.Start(subscription, (updates, resync) => InvokeAsync(async () =>
        {
            if (resync)
            {
                await LoadSnapshotAsync(boxId.Value);
            }
            foreach (var update in updates)
            {
                Apply(update);
            }
            StateHasChanged();
        }));
        await LoadSnapshotAsync(boxId.Value);
        _statistics = await Statistics.ForBoxAsync(boxId.Value);
    }

    private async Task LoadSnapshotAsync(Guid boxId)
    {
        var snapshot = await Monitor.SnapshotAsync(boxId);
        if (snapshot is null)
        {
            return;
        }
        _byId.Clear();
        foreach (var cell in snapshot.Cells)
        {
            _byId[cell.Id] = cell;
        }
        _cells = snapshot.Cells;
        _summary = snapshot.Box;
        _selected = _selected is { } selected ? _byId.GetValueOrDefault(selected.Id) : null;
    }

    private void Apply(OccupancyUpdate update)
    {
        _summary = update.Box;
        if (update.Cells.Count == 0)
        {
            return;
        }
        foreach (var cell in update.Cells)
        {
            _byId[cell.Id] = cell;
        }
        _cells = _cells.Select(c => _byId[c.Id]).ToList();
        if (_selected is { } selected)
        {
            _selected = _byId[selected.Id];
        }
    }

    private bool Visible(CompartmentCell cell) =>
        (!_states.Any() || _states.Contains(cell.State))
        && (_size is null || cell.Size == _size)
        && (_searchHit is null || cell.Id == _searchHit);

    private void Select(CompartmentCell cell) => _selected = cell;

    private async Task SearchAsync()
    {
        _searchMessage = null;
        _searchHit = null;
        var text = _search.Trim();
        if (text.Length == 0 || _summary is null)
        {
            return;
        }
        var byLabel = _cells.FirstOrDefault(c => string.Equals(c.Label, text, StringComparison.OrdinalIgnoreCase));
        var hit = byLabel?.Id ?? await Monitor.FindCompartmentOfDocumentAsync(_summary.BoxId, text);
        if (hit is { } id && _byId.TryGetValue(id, out var cell))
        {
            _searchHit = id;
            _selected = cell;
        }
        else
        {
            _searchMessage = Localizer["Occupancy.NotFound", text];
        }
    }

    private async Task RetrieveAsync(CompartmentCell cell)
    {
        if (!await Dialogs.ConfirmAsync(Localizer["Retrieval.Title"], Localizer["Retrieval.Confirm", cell.Label],
                Localizer["Retrieval.Action"], Localizer["Common.Cancel"]))
        {
            return;
        }
        _busy = true;
        try
        {
            await Openings.RetrieveAsync(cell.Id, cell.Label, await AuthenticationState.ActorAsync());
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ServiceOpenAsync(CompartmentCell cell)
    {
        var reason = await Dialogs.AskReasonAsync(Localizer["Compartment.ServiceOpenTitle", cell.Label], Localizer["Compartment.ServiceOpenText"]);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return;
        }
        _busy = true;
        try
        {
            await Openings.ServiceOpenAsync(cell.Id, cell.Label, reason, await AuthenticationState.ActorAsync(), Localizer["Service.Title"]);
        }
        finally
        {
            _busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }
    }
}
