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
/// Built for many open dashboards: the page holds the monitor's shared snapshot (a reference, not a copy). A live change
/// goes to the grid alone (<see cref="CompartmentGrid.ShowAsync"/>: the changed cells only); the page renders again only when what it shows besides
/// changed: the box's summary, the selected compartment, an opening followed here.
/// </remarks>
public partial class BoxDashboard : IAsyncDisposable
{
    private static readonly CellState[] States = Enum.GetValues<CellState>();
    private static readonly CompartmentSize?[] Sizes = [CompartmentSize.S, CompartmentSize.M, CompartmentSize.L];

    private BoxSnapshot? _snapshot;
    private CompartmentGrid? _grid;
    private CompartmentCell? _selected;
    private LiveView<BoxSnapshot>? _feed;
    private OpeningWatch? _watch;
    private CellFilter _filter = CellFilter.None;
    private bool _loaded;
    private bool _busy;
    private bool _showCharts;
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

    private BoxOccupancy? Summary => _snapshot?.Box;

    protected override async Task OnParametersSetAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
            _feed = null;
        }
        var boxId = await Monitor.FindBoxAsync(Code);
        var feed = boxId is { } id ? await Monitor.WatchBoxAsync(id) : null;
        _loaded = true;
        _snapshot = feed?.Current;
        _selected = _selected is { } selected ? _snapshot?.Find(selected.Id) : null;
        if (feed is not null)
        {
            _feed = LiveView<BoxSnapshot>.Start(feed, snapshot => InvokeAsync(() => Apply(snapshot)));
        }
    }

    private Task Apply(BoxSnapshot snapshot)
    {
        var previous = _snapshot;
        _snapshot = snapshot;
        // The monitor keeps the summary object while nothing in it changed; a heartbeat within the minute shows nothing new.
        var pageChanged = previous is null || !BoxSummaryCard.ShowsTheSame(previous.Box, snapshot.Box);
        if (_selected is { } selected && snapshot.Find(selected.Id) is { } current && !ReferenceEquals(current, selected))
        {
            _selected = current;
            pageChanged = true;
        }
        if (_watch is { } watch && snapshot.Find(watch.CompartmentId) is { } watched)
        {
            var stage = watch.Stage;
            watch.See(watched);
            pageChanged |= watch.Stage != stage;
        }
        if (pageChanged)
        {
            StateHasChanged();
            return Task.CompletedTask;
        }
        return _grid?.ShowAsync(snapshot) ?? Task.CompletedTask;
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
        if (term.Length == 0 || Summary is null)
        {
            _filter = _filter with { Hit = null };
            return;
        }
        var byLabel = _snapshot!.Cells.FirstOrDefault(c => string.Equals(c.Label, term, StringComparison.OrdinalIgnoreCase));
        var hit = byLabel?.Id ?? await Monitor.FindCompartmentOfDocumentAsync(Summary.BoxId, term);
        if (hit is { } id && _snapshot.Find(id) is { } found)
        {
            _filter = _filter with { Hit = id };
            _selected = found;
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
            var current = _snapshot?.Find(cell.Id);
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
