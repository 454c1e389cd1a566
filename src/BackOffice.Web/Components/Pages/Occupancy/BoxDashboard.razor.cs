using BackOffice.Application.Bridge;
using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Bridge;
using BackOffice.Web.Components.Controls;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>
/// One box live: every compartment laid out as the box stands, filters and search, the selected compartment's details
/// with the actions the role allows, what became of an opening asked for here, and the charts of the last 30 days.
/// </summary>
/// <remarks>
/// A live change touches only the cells it names (<see cref="CompartmentGrid.Refresh"/>); the page itself renders for
/// its summary, details and charts. The cells live in one array, replaced in place, so the grid sees the same list.
/// </remarks>
public partial class BoxDashboard : IAsyncDisposable
{
    private static readonly CellState[] States = Enum.GetValues<CellState>();
    private static readonly CompartmentSize?[] Sizes = [CompartmentSize.S, CompartmentSize.M, CompartmentSize.L];

    private readonly Dictionary<Guid, int> _indexById = [];
    private CompartmentCell[] _cells = [];
    private CompartmentGrid? _grid;
    private BoxOccupancy? _summary;
    private CompartmentCell? _selected;
    private OccupancyFeed? _feed;
    private OpeningWatch? _watch;
    private CellFilter _filter = CellFilter.None;
    private bool _loaded;
    private bool _busy;
    private string _search = "";
    private string? _searchMessage;

    [Parameter]
    public string Code { get; set; } = "";

    [Inject]
    private IBoxMonitor Monitor { get; set; } = default!;

    [Inject]
    private CompartmentOpenings Openings { get; set; } = default!;

    [Inject]
    private OpeningFeedback Feedback { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
            _feed = null;
        }
        var boxId = await Monitor.FindBoxAsync(Code);
        _loaded = true;
        if (boxId is null)
        {
            _summary = null;
            return;
        }
        // Subscribe before taking the snapshot, so nothing between the two is missed.
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
    }

    private async Task LoadSnapshotAsync(Guid boxId)
    {
        var snapshot = await Monitor.SnapshotAsync(boxId);
        if (snapshot is null)
        {
            return;
        }
        // A new array: the grid lays the box out again.
        _cells = [.. snapshot.Cells];
        _indexById.Clear();
        for (var i = 0; i < _cells.Length; i++)
        {
            _indexById[_cells[i].Id] = i;
        }
        _summary = snapshot.Box;
        _selected = _selected is { } selected && _indexById.TryGetValue(selected.Id, out var index) ? _cells[index] : null;
        if (_watch is { } watch && _indexById.TryGetValue(watch.CompartmentId, out var watched))
        {
            watch.See(_cells[watched]);
        }
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
            if (_indexById.TryGetValue(cell.Id, out var index))
            {
                _cells[index] = cell;
            }
            if (_selected?.Id == cell.Id)
            {
                _selected = cell;
            }
            _watch?.See(cell);
        }
        _grid?.Refresh(update.Cells);
    }

    private void Select(CompartmentCell cell) => _selected = cell;

    private string StateText(CellState state) => Localizer[$"CellState.{state}"];

    private string StatesText(IReadOnlyList<string> selected) =>
        selected.Count <= 1 ? string.Join("", selected) : Localizer["Occupancy.StatesSelected", selected.Count];

    private string SizeText(CompartmentSize? size) => size?.ToString() ?? Localizer["Occupancy.AllSizes"];

    private void StatesChanged(IEnumerable<CellState> states) =>
        _filter = _filter with { States = states.ToHashSet() };

    private void SizeChanged(CompartmentSize? size) => _filter = _filter with { Size = size };

    private async Task SearchAsync(string? text)
    {
        _search = text ?? "";
        _searchMessage = null;
        var term = _search.Trim();
        if (term.Length == 0 || _summary is null)
        {
            _filter = _filter with { Hit = null };
            return;
        }
        var byLabel = _cells.FirstOrDefault(c => string.Equals(c.Label, term, StringComparison.OrdinalIgnoreCase));
        var hit = byLabel?.Id ?? await Monitor.FindCompartmentOfDocumentAsync(_summary.BoxId, term);
        if (hit is { } id && _indexById.TryGetValue(id, out var index))
        {
            _filter = _filter with { Hit = id };
            _selected = _cells[index];
        }
        else
        {
            _filter = _filter with { Hit = null };
            _searchMessage = Localizer["Occupancy.NotFound", term];
        }
    }

    private async Task RetrieveAsync(CompartmentCell cell)
    {
        if (!await Dialogs.ConfirmAsync(Localizer["Retrieval.Title"], Localizer["Retrieval.Confirm", cell.Label],
                Localizer["Retrieval.Action"], Localizer["Common.Cancel"]))
        {
            return;
        }
        var actor = await AuthenticationState.ActorAsync();
        await OpenAsync(cell, retrieval: true, sent => Openings.RetrieveAsync(cell.Id, actor, sent));
    }

    private async Task ServiceOpenAsync(CompartmentCell cell)
    {
        var reason = await Dialogs.AskReasonAsync(Localizer["Compartment.ServiceOpenTitle", cell.Label], Localizer["Compartment.ServiceOpenText"]);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return;
        }
        var actor = await AuthenticationState.ActorAsync();
        await OpenAsync(cell, retrieval: false, sent => Openings.ServiceOpenAsync(cell.Id, reason, actor, sent));
    }

    /// <summary>Opens and follows the compartment in place: sent, the box's answer, and the door closing again.</summary>
    private async Task OpenAsync(CompartmentCell cell, bool retrieval, Func<Action, Task<OpeningResult>> open)
    {
        var watch = new OpeningWatch(cell.Id, cell.Label, retrieval, cell.DoorSince);
        _watch = watch;
        _busy = true;
        try
        {
            var result = await open(() => { });
            var current = _indexById.TryGetValue(cell.Id, out var index) ? _cells[index] : null;
            watch.Answered(result.Opened, result.Opened ? null : Feedback.Outcome(result), current);
        }
        finally
        {
            _busy = false;
        }
    }

    private string OpeningText(OpeningWatch watch) => watch.Stage switch
    {
        OpeningStage.Sent => Feedback.Sent(watch.Label),
        OpeningStage.Failed => watch.Failure ?? "",
        OpeningStage.Open => watch.Retrieval ? Localizer["Retrieval.TakeOut", watch.Label] : Localizer["Unlock.Opened", watch.Label],
        _ => Localizer["Occupancy.ClosedAgain", watch.Label],
    };

    private static string OpeningIcon(OpeningStage stage) => stage switch
    {
        OpeningStage.Sent => Icons.Material.Filled.HourglassTop,
        OpeningStage.Failed => Icons.Material.Filled.Error,
        OpeningStage.Open => Icons.Material.Filled.LockOpen,
        _ => Icons.Material.Filled.Lock,
    };

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }
    }
}
