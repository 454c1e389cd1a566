using System.Globalization;
using BackOffice.Application.Occupancy;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Controls;

/// <summary>
/// One cell of the <see cref="CompartmentGrid"/>. It renders only when what it shows changed: a new cell record (the
/// records are immutable, so a changed cell is a new instance), dimming, selection, or whether Tab reaches it. A grid
/// that renders again for its selection or filter therefore repaints only the cells that differ.
/// </summary>
public sealed class CompartmentCellView : ComponentBase, IDisposable
{
    private static readonly string[] StateNames = Enum.GetNames<CellState>();

    // The class strings are few; built once, not per cell and render.
    private static readonly string[] Classes = BuildClasses();

    private bool _initialized;
    private bool _dirty;
    private ElementReference _element;

    [Parameter, EditorRequired]
    public CompartmentCell Cell { get; set; } = default!;

    [Parameter, EditorRequired]
    public CompartmentGrid Grid { get; set; } = default!;

    [Parameter]
    public bool Dimmed { get; set; }

    [Parameter]
    public bool Selected { get; set; }

    /// <summary>The one cell of the grid that Tab reaches (tabindex 0; the others -1).</summary>
    [Parameter]
    public bool Active { get; set; }

    [Inject]
    private IStringLocalizer<SharedResource> L { get; set; } = default!;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        var (cell, dimmed, selected, active) = (Cell, Dimmed, Selected, Active);
        parameters.SetParameterProperties(this);
        if (!_initialized)
        {
            _initialized = true;
            Grid.Register(this);
        }
        else if (ReferenceEquals(cell, Cell) && dimmed == Dimmed && selected == Selected && active == Active)
        {
            return Task.CompletedTask;
        }
        _dirty = true;
        StateHasChanged();
        return Task.CompletedTask;
    }

    /// <summary>A live change, straight from the grid, without the grid rendering.</summary>
    internal void Show(CompartmentCell cell, bool dimmed, bool selected, bool active)
    {
        if (ReferenceEquals(cell, Cell) && dimmed == Dimmed && selected == Selected && active == Active)
        {
            return;
        }
        (Cell, Dimmed, Selected, Active) = (cell, dimmed, selected, active);
        _dirty = true;
        StateHasChanged();
    }

    internal ValueTask FocusAsync() => _element.FocusAsync();

    // An event on the cell re-renders it only if the event changed what it shows.
    protected override bool ShouldRender() => _dirty;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        _dirty = false;
        var cell = Cell;
        var tooltip = Tooltip(cell);
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "role", "gridcell");
        builder.AddAttribute(2, "tabindex", Active ? "0" : "-1");
        builder.AddAttribute(3, "class", CssClass(cell.State, Dimmed, Selected));
        builder.AddAttribute(4, "style", $"grid-column: {cell.Module + 1}; grid-row: {cell.Row + 1}");
        builder.AddAttribute(5, "title", tooltip);
        builder.AddAttribute(6, "aria-label", tooltip);
        builder.AddAttribute(7, "aria-selected", Selected ? "true" : "false");
        builder.AddAttribute(8, "data-label", cell.Label);
        builder.AddAttribute(9, "data-state", StateNames[(int)cell.State]);
        builder.AddAttribute(10, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, OnClickAsync));
        builder.AddAttribute(11, "onkeydown", EventCallback.Factory.Create<KeyboardEventArgs>(this, OnKeyDownAsync));
        builder.AddElementReferenceCapture(12, element => _element = element);
        builder.AddContent(13, L[$"CellLetter.{StateNames[(int)cell.State]}"].Value);
        builder.CloseElement();
    }

    private Task OnClickAsync(MouseEventArgs args) => Grid.SelectAsync(Cell);

    private Task OnKeyDownAsync(KeyboardEventArgs args) => Grid.KeyDownAsync(Cell, args.Key);

    private string Tooltip(CompartmentCell cell) =>
        $"{L["Compartment.Label"]} {cell.Label} ({cell.Size}{(cell.Accessible ? ", " + L["Occupancy.Accessible"] : "")}): {L[$"CellState.{StateNames[(int)cell.State]}"]}"
        + (cell.Deadline is { } deadline ? $", {L["Documents.Deadline"]} {deadline.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}" : "")
        + (cell.Reason is { } reason ? $" – {reason}" : "");

    private static string CssClass(CellState state, bool dimmed, bool selected) =>
        Classes[((int)state * 4) + (dimmed ? 1 : 0) + (selected ? 2 : 0)];

    private static string[] BuildClasses()
    {
        var states = Enum.GetValues<CellState>();
        var classes = new string[states.Length * 4];
        foreach (var state in states)
        {
            var baseClass = $"cell cell-{state.ToString().ToLowerInvariant()}";
            classes[(int)state * 4] = baseClass;
            classes[((int)state * 4) + 1] = baseClass + " cell-dimmed";
            classes[((int)state * 4) + 2] = baseClass + " cell-selected";
            classes[((int)state * 4) + 3] = baseClass + " cell-dimmed cell-selected";
        }
        return classes;
    }

    public void Dispose() => Grid.Unregister(this);
}
