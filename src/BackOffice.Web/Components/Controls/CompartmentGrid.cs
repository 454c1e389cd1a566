using BackOffice.Application.Occupancy;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace BackOffice.Web.Components.Controls;

/// <summary>
/// The box as it stands: modules side by side, rows top to bottom, as an ARIA grid (rows of cells, a header row of
/// modules, a row header per row). Each cell shows its state by colour and by a letter (never colour alone), with a
/// tooltip. The keyboard reaches it with one Tab (roving tabindex), the arrow keys, Home and End move between cells,
/// Enter or Space opens the cell's details.
/// </summary>
/// <remarks>
/// Built for many open dashboards: each cell is its own <see cref="CompartmentCellView"/> that renders only when its
/// own cell record, dimming, selection or focus changed. A live change reaches the grid through <see cref="Refresh"/>,
/// which re-renders just the changed cells; the grid itself renders again only when its cells list, filter or
/// selection is replaced.
/// </remarks>
public sealed class CompartmentGrid : ComponentBase, IAsyncDisposable
{
    private readonly Dictionary<Guid, CompartmentCellView> _views = [];
    private IReadOnlyList<CompartmentCell>? _laidOut;
    private int _modules;
    private int _rows;

    // Index into Cells by (row - 1) * modules + (module - 1), -1 where the box has no compartment.
    private int[] _at = [];
    private Guid? _activeId;
    private bool _rendered;
    private ElementReference _element;
    private IJSObjectReference? _module;

    [Parameter, EditorRequired]
    public IReadOnlyList<CompartmentCell> Cells { get; set; } = [];

    /// <summary>Cells that match it show normally; the others are dimmed (null: all match).</summary>
    [Parameter]
    public CellFilter? Filter { get; set; }

    [Parameter]
    public Guid? SelectedId { get; set; }

    [Parameter]
    public EventCallback<CompartmentCell> OnSelect { get; set; }

    [Inject]
    private IStringLocalizer<SharedResource> L { get; set; } = default!;

    // Resolved only after an interactive render: the benchmark renders the grid to HTML without a JS runtime.
    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    /// <summary>The cell that the Tab key reaches (roving tabindex).</summary>
    public Guid? ActiveId => _activeId;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        var (cells, filter, selected) = (Cells, Filter, SelectedId);
        parameters.SetParameterProperties(this);
        if (_rendered && ReferenceEquals(cells, Cells) && Equals(filter, Filter) && selected == SelectedId)
        {
            // The page rendered for something else (its summary, a live update): nothing of the grid changed.
            return Task.CompletedTask;
        }
        if (!ReferenceEquals(_laidOut, Cells))
        {
            LayOut();
        }
        StateHasChanged();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Shows cells that changed live. The caller has already put them into <see cref="Cells"/> (same positions), so a
    /// later render of the whole grid shows the same; this one touches only their own components.
    /// </summary>
    public void Refresh(IEnumerable<CompartmentCell> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        foreach (var cell in changed)
        {
            if (_views.TryGetValue(cell.Id, out var view))
            {
                view.Show(cell, IsDimmed(cell), cell.Id == SelectedId, cell.Id == _activeId);
            }
        }
    }

    internal void Register(CompartmentCellView view) => _views[view.Cell.Id] = view;

    internal void Unregister(CompartmentCellView view)
    {
        if (_views.TryGetValue(view.Cell.Id, out var registered) && ReferenceEquals(registered, view))
        {
            _views.Remove(view.Cell.Id);
        }
    }

    internal Task SelectAsync(CompartmentCell cell)
    {
        MoveActive(cell);
        return OnSelect.InvokeAsync(cell);
    }

    /// <summary>A key pressed on a cell: arrows, Home and End move the focus, Enter and Space select.</summary>
    internal async Task KeyDownAsync(CompartmentCell cell, string key)
    {
        if (key is "Enter" or " ")
        {
            await SelectAsync(cell);
            return;
        }
        var target = key switch
        {
            "ArrowRight" => Step(cell, 1, 0),
            "ArrowLeft" => Step(cell, -1, 0),
            "ArrowDown" => Step(cell, 0, 1),
            "ArrowUp" => Step(cell, 0, -1),
            "Home" => Edge(cell.Row, first: true),
            "End" => Edge(cell.Row, first: false),
            _ => null,
        };
        if (target is null || target.Id == cell.Id)
        {
            return;
        }
        MoveActive(target);
        if (_views.TryGetValue(target.Id, out var view))
        {
            await view.FocusAsync();
        }
    }

    private void MoveActive(CompartmentCell target)
    {
        var previous = _activeId;
        _activeId = target.Id;
        if (previous is { } id && id != target.Id && Find(id) is { } old)
        {
            Refresh([old]);
        }
        Refresh([target]);
    }

    private CompartmentCell? Find(Guid id) =>
        _views.TryGetValue(id, out var view) ? view.Cell : null;

    // The nearest compartment in that direction; modules of different heights leave gaps to skip.
    private CompartmentCell? Step(CompartmentCell from, int moduleStep, int rowStep)
    {
        for (int module = from.Module + moduleStep, row = from.Row + rowStep;
             module >= 1 && module <= _modules && row >= 1 && row <= _rows;
             module += moduleStep, row += rowStep)
        {
            if (At(module, row) is { } cell)
            {
                return cell;
            }
        }
        return null;
    }

    private CompartmentCell? Edge(int row, bool first)
    {
        for (var i = 0; i < _modules; i++)
        {
            if (At(first ? i + 1 : _modules - i, row) is { } cell)
            {
                return cell;
            }
        }
        return null;
    }

    private CompartmentCell? At(int module, int row)
    {
        var index = _at[((row - 1) * _modules) + module - 1];
        return index < 0 ? null : Cells[index];
    }

    private bool IsDimmed(CompartmentCell cell) => Filter is { } filter && !filter.Matches(cell);

    private void LayOut()
    {
        _laidOut = Cells;
        _modules = 0;
        _rows = 0;
        foreach (var cell in Cells)
        {
            _modules = Math.Max(_modules, cell.Module);
            _rows = Math.Max(_rows, cell.Row);
        }
        _at = new int[_modules * _rows];
        Array.Fill(_at, -1);
        for (var i = 0; i < Cells.Count; i++)
        {
            _at[((Cells[i].Row - 1) * _modules) + Cells[i].Module - 1] = i;
        }
        if (_activeId is not { } active || !Cells.Any(c => c.Id == active))
        {
            _activeId = _at.Where(i => i >= 0).Select(i => Cells[i].Id).Cast<Guid?>().FirstOrDefault();
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        _rendered = true;
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "compartment-grid");
        builder.AddAttribute(2, "role", "grid");
        builder.AddAttribute(3, "aria-label", L["Occupancy.GridLabel"].Value);
        builder.AddAttribute(4, "aria-rowcount", _rows + 1);
        builder.AddAttribute(5, "aria-colcount", _modules + 1);
        builder.AddAttribute(6, "data-testid", "compartment-grid");
        builder.AddAttribute(7, "style", $"--grid-modules: {_modules}; --grid-rows: {_rows}");
        builder.AddElementReferenceCapture(8, element => _element = element);

        // Header row: the modules' numbers.
        builder.OpenElement(10, "div");
        builder.AddAttribute(11, "role", "row");
        builder.AddAttribute(12, "class", "grid-row");
        builder.OpenElement(13, "div");
        builder.AddAttribute(14, "role", "columnheader");
        builder.AddAttribute(15, "class", "grid-head grid-corner");
        builder.AddAttribute(16, "style", "grid-column: 1; grid-row: 1");
        builder.OpenElement(17, "span");
        builder.AddAttribute(18, "class", "app-sr-only");
        builder.AddContent(19, L["Occupancy.GridCorner"].Value);
        builder.CloseElement();
        builder.CloseElement();
        var moduleLabel = L["Compartment.Module"].Value;
        for (var m = 1; m <= _modules; m++)
        {
            builder.OpenElement(20, "div");
            builder.AddAttribute(21, "role", "columnheader");
            builder.AddAttribute(22, "class", "grid-head");
            builder.AddAttribute(23, "style", $"grid-column: {m + 1}; grid-row: 1");
            builder.AddAttribute(24, "aria-label", $"{moduleLabel} {m:00}");
            builder.AddContent(25, m.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
            builder.CloseElement();
        }
        builder.CloseElement();

        var rowLabel = L["Compartment.Row"].Value;
        for (var r = 1; r <= _rows; r++)
        {
            builder.OpenElement(30, "div");
            builder.SetKey(r);
            builder.AddAttribute(31, "role", "row");
            builder.AddAttribute(32, "class", "grid-row");
            builder.OpenElement(33, "div");
            builder.AddAttribute(34, "role", "rowheader");
            builder.AddAttribute(35, "class", "grid-head");
            builder.AddAttribute(36, "style", $"grid-column: 1; grid-row: {r + 1}");
            builder.AddAttribute(37, "aria-label", $"{rowLabel} {r:00}");
            builder.AddContent(38, r.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
            builder.CloseElement();
            for (var m = 1; m <= _modules; m++)
            {
                var index = _at[((r - 1) * _modules) + m - 1];
                if (index < 0)
                {
                    continue;
                }
                var cell = Cells[index];
                builder.OpenComponent<CompartmentCellView>(40);
                builder.SetKey(cell.Id);
                builder.AddComponentParameter(41, nameof(CompartmentCellView.Cell), cell);
                builder.AddComponentParameter(42, nameof(CompartmentCellView.Grid), this);
                builder.AddComponentParameter(43, nameof(CompartmentCellView.Dimmed), IsDimmed(cell));
                builder.AddComponentParameter(44, nameof(CompartmentCellView.Selected), cell.Id == SelectedId);
                builder.AddComponentParameter(45, nameof(CompartmentCellView.Active), cell.Id == _activeId);
                builder.CloseComponent();
            }
            builder.CloseElement();
        }
        builder.CloseElement();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && Services.GetService<IJSRuntime>() is { } js)
        {
            try
            {
                // Keeps the arrow keys and Space from scrolling the page while they move between cells.
                _module = await js.InvokeAsync<IJSObjectReference>("import", "./js/compartment-grid.js");
                await _module.InvokeVoidAsync("attach", _element);
            }
            catch (JSDisconnectedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }
}
