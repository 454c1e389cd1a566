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
/// Built for many open dashboards. The cells are the box's shared markup (<see cref="CompartmentGridMarkup"/>, one
/// string per row, the same for every page), so a circuit holds a few dozen render frames instead of 620 components,
/// and a live change sends only the changed cells' markup to the browser (<see cref="ShowAsync"/>).
/// What is this page's own (selection, the filters' dimming) travels as data attributes of the grid, which
/// js/compartment-grid.js applies to the cells; it also moves the focus on the arrow keys in the browser, without a
/// round trip, and reports a chosen cell back (<see cref="SelectCellAsync"/>).
/// </remarks>
public sealed class CompartmentGrid : ComponentBase, IAsyncDisposable
{
    private BoxSnapshot? _shown;
    private BoxSnapshot? _snapshotParameter;
    private CellFilter? _filter;
    private Guid? _selectedId;
    private bool _rendered;
    private ElementReference _element;
    private IJSObjectReference? _module;
    private DotNetObjectReference<CompartmentGrid>? _self;

    /// <summary>The box to show; a live page passes its newest and may call <see cref="ShowAsync"/> in between.</summary>
    [Parameter, EditorRequired]
    public BoxSnapshot Snapshot { get; set; } = default!;

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

    /// <summary>The snapshot on screen.</summary>
    public BoxSnapshot? Shown => _shown;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        var snapshotChanged = !ReferenceEquals(_snapshotParameter, Snapshot);
        var ownChanged = !_rendered || !Equals(_filter, Filter) || _selectedId != SelectedId;
        _snapshotParameter = Snapshot;
        (_filter, _selectedId) = (Filter, SelectedId);
        if (ownChanged)
        {
            _shown = snapshotChanged ? Snapshot : _shown;
            StateHasChanged();
            return Task.CompletedTask;
        }
        // Otherwise the page rendered for something else (its summary, its details): at most some cells changed.
        return snapshotChanged ? ShowAsync(Snapshot) : Task.CompletedTask;
    }

    /// <summary>
    /// A live change. Once the grid is in the browser, only the cells that changed go there, each as its shared markup,
    /// and the script writes them into the cells on screen: one cell's worth of work in each open page instead of a row's.
    /// Before that (or when the box's layout changed) the grid renders anew, alone, without the page around it.
    /// </summary>
    /// <remarks>
    /// The render tree then still holds the older row strings; a later render (a filter, a selection) sends the rows
    /// that differ from it again, which replaces them wholesale with the newest markup, so the two never disagree on
    /// screen.
    /// </remarks>
    public Task ShowAsync(BoxSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var previous = _shown;
        if (ReferenceEquals(snapshot, previous))
        {
            return Task.CompletedTask;
        }
        _shown = snapshot;
        if (_module is null || previous is null || !ReferenceEquals(previous.Index, snapshot.Index))
        {
            StateHasChanged();
            return Task.CompletedTask;
        }
        var changed = new List<string>();
        for (var i = 0; i < snapshot.Cells.Count; i++)
        {
            if (!ReferenceEquals(previous.Cells[i], snapshot.Cells[i]))
            {
                changed.Add(CompartmentGridMarkup.Cell(snapshot.Cells[i], L));
            }
        }
        return changed.Count == 0 ? Task.CompletedTask : PatchAsync(_module, changed);
    }

    private async Task PatchAsync(IJSObjectReference module, List<string> cells)
    {
        try
        {
            await module.InvokeVoidAsync("patch", _element, cells);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone.
        }
        catch (JSException)
        {
            // The browser could not place a cell (its grid was being replaced): render it whole.
            StateHasChanged();
        }
    }

    /// <summary>The browser chose a cell (click, Enter or Space).</summary>
    [JSInvokable]
    public Task SelectCellAsync(string label)
    {
        var cell = _shown?.Cells.FirstOrDefault(c => c.Label == label);
        return cell is null ? Task.CompletedTask : OnSelect.InvokeAsync(cell);
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        _rendered = true;
        if (_shown is not { } snapshot)
        {
            return;
        }
        var markup = CompartmentGridMarkup.For(snapshot, L);
        var rows = markup.Rows.Count;
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "compartment-grid");
        builder.AddAttribute(2, "role", "grid");
        builder.AddAttribute(3, "aria-label", L["Occupancy.GridLabel"].Value);
        builder.AddAttribute(4, "aria-rowcount", rows + 1);
        builder.AddAttribute(5, "aria-colcount", markup.Modules + 1);
        builder.AddAttribute(6, "data-testid", "compartment-grid");
        builder.AddAttribute(7, "style", $"--grid-modules: {markup.Modules}; --grid-rows: {rows}");
        builder.AddAttribute(8, "data-selected", SelectedId is { } selected ? snapshot.Find(selected)?.Label : null);
        if (_filter is { } filter)
        {
            builder.AddAttribute(9, "data-filter-states", filter.States.Count == 0 ? null : string.Join(' ', filter.States.Order()));
            builder.AddAttribute(10, "data-filter-size", filter.Size?.ToString());
            builder.AddAttribute(11, "data-filter-hit", filter.Hit is { } hit ? snapshot.Find(hit)?.Label ?? "-" : null);
        }
        builder.AddElementReferenceCapture(12, element => _element = element);
        builder.AddMarkupContent(13, markup.Header);
        foreach (var row in markup.Rows)
        {
            builder.AddMarkupContent(14, row);
        }
        builder.CloseElement();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_self is not null || _shown is null || Services.GetService<IJSRuntime>() is not { } js)
        {
            return; // Attached already, nothing rendered yet to attach to, or no browser.
        }
        try
        {
            _self = DotNetObjectReference.Create(this);
            _module = await js.InvokeAsync<IJSObjectReference>("import", "./js/compartment-grid.js");
            await _module.InvokeVoidAsync("attach", _element, _self);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("detach", _element);
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
        _self?.Dispose();
    }
}
