using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Web;
using BackOffice.Web.Components.Controls;
using Microsoft.Extensions.Localization;
using static BackOffice.ComponentTests.Occupancy.OccupancyData;

namespace BackOffice.ComponentTests.Occupancy;

/// <summary>
/// The compartment grid: every state by colour class, letter and German tooltip, laid out as the box stands, an ARIA
/// grid of rows, this page's filter and selection handed to the browser, and the box's markup shared between pages with
/// only the changed row rebuilt. The keyboard and the dimming run in the browser: DashboardTests (Playwright).
/// </summary>
public class CompartmentGridTests : ComponentTest
{
    private static BoxSnapshot Snapshot(IReadOnlyList<CompartmentCell> cells) => new(Summary(cells.Count), cells);

    [Fact]
    public void EveryState_HasItsClass_ALetter_AndAGermanTooltip()
    {
        var states = Enum.GetValues<CellState>();
        var cells = states.Select((state, i) => Cell(module: 1, row: i + 1, state)).ToList();

        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Snapshot, Snapshot(cells)));

        var shown = grid.FindAll("[role=gridcell]");
        Assert.Equal(states.Length, shown.Count);
        var letters = new HashSet<string>();
        foreach (var (state, cell) in states.Zip(shown))
        {
            Assert.Contains($"cell-{state.ToString().ToLowerInvariant()}", cell.ClassList);
            Assert.Equal(state.ToString(), cell.GetAttribute("data-state"));
            var letter = cell.TextContent.Trim();
            Assert.False(string.IsNullOrEmpty(letter), $"{state} shows a letter, not colour alone.");
            letters.Add(letter);
            Assert.StartsWith($"Fach 01-{(int)state + 1:00}", cell.GetAttribute("aria-label"), StringComparison.Ordinal);
        }
        Assert.Equal(states.Length, letters.Count);
        Assert.Contains("überfällig", shown[(int)CellState.Overdue].GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains("Tür klemmt", shown[(int)CellState.Fault].GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void ATooltipWithMarkup_IsText()
    {
        var cells = new[] { Cell(1, 1, CellState.Fault) with { Reason = "<b>Tür</b> & \"Schloss\"" } };

        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Snapshot, Snapshot(cells)));

        Assert.Empty(grid.FindAll("[role=gridcell] b"));
        Assert.EndsWith("– <b>Tür</b> & \"Schloss\"", grid.Find("[role=gridcell]").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_ArePlacedByModuleAndRow_AndTheFilterGoesToTheBrowser()
    {
        var cells = new[] { Cell(1, 1), Cell(2, 5, CellState.Overdue), Cell(3, 2, CellState.Ready, CompartmentSize.M) };

        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Snapshot, Snapshot(cells))
            .Add(g => g.Filter, CellFilter.None with { States = new HashSet<CellState> { CellState.Overdue, CellState.Ready } }));

        var root = grid.Find("[data-testid=compartment-grid]");
        Assert.Contains("--grid-modules: 3", root.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("--grid-rows: 5", root.GetAttribute("style"), StringComparison.Ordinal);
        var overdue = grid.Find("[data-label='02-05']");
        Assert.Contains("grid-column: 3", overdue.GetAttribute("style"), StringComparison.Ordinal);
        // Its row is the fifth after the header row: each row a grid of its own.
        Assert.Same(grid.FindAll("[role=row]")[5], overdue.ParentElement);
        Assert.Equal(("2", "5", "S"), (overdue.GetAttribute("data-module"), overdue.GetAttribute("data-row"), overdue.GetAttribute("data-size")));
        Assert.Equal("Ready Overdue", root.GetAttribute("data-filter-states"));
        Assert.Null(root.GetAttribute("data-filter-size"));

        grid.Render(p => p.Add(g => g.Filter, CellFilter.None with { Size = CompartmentSize.M, Hit = cells[2].Id }));
        root = grid.Find("[data-testid=compartment-grid]");
        Assert.Null(root.GetAttribute("data-filter-states"));
        Assert.Equal("M", root.GetAttribute("data-filter-size"));
        Assert.Equal("03-02", root.GetAttribute("data-filter-hit"));
    }

    [Fact]
    public void TheGrid_IsRowsOfCells_WithHeaders_InReadingOrder()
    {
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Snapshot, Snapshot(Box(modules: 3, rows: 2))));

        var root = grid.Find("[role=grid]");
        Assert.False(string.IsNullOrWhiteSpace(root.GetAttribute("aria-label")));
        Assert.Equal(("3", "4"), (root.GetAttribute("aria-rowcount"), root.GetAttribute("aria-colcount")));
        var rows = root.Children.ToList();
        Assert.All(rows, row => Assert.Equal("row", row.GetAttribute("role")));
        Assert.Equal(3, rows.Count);
        Assert.Equal(3, rows[0].QuerySelectorAll("[role=columnheader]").Length - 1);
        Assert.All(rows.Skip(1), row =>
        {
            Assert.Single(row.QuerySelectorAll("[role=rowheader]"));
            Assert.Equal(3, row.QuerySelectorAll("[role=gridcell]").Length);
        });
        // Row by row in reading order, so a screen reader walks the box as it stands.
        Assert.Equal(["01-01", "02-01", "03-01"], rows[1].QuerySelectorAll("[role=gridcell]").Select(c => c.GetAttribute("data-label")!));
    }

    [Fact]
    public async Task TheSelection_GoesToTheBrowser_AndACellChosenThereReachesThePage()
    {
        CompartmentCell? chosen = null;
        var cells = Box(modules: 3, rows: 3);
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Snapshot, Snapshot(cells)).Add(g => g.SelectedId, cells[4].Id)
            .Add(g => g.OnSelect, c => chosen = c));
        Assert.Equal(cells[4].Label, grid.Find("[data-testid=compartment-grid]").GetAttribute("data-selected"));

        await grid.InvokeAsync(() => grid.Instance.SelectCellAsync("03-02"));
        Assert.Equal("03-02", chosen?.Label);
        await grid.InvokeAsync(() => grid.Instance.SelectCellAsync("99-99"));
        Assert.Equal("03-02", chosen?.Label);
    }

    [Fact]
    public void ALiveChange_RebuildsOnlyItsRow_AndPagesShareTheMarkup()
    {
        var localizer = Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = Snapshot(Box(modules: 31, rows: 20));
        var first = CompartmentGridMarkup.For(before, localizer);
        Assert.Same(first, CompartmentGridMarkup.For(before, localizer));

        var cells = before.Cells.ToArray();
        var index = Array.FindIndex(cells, c => c.Label == "04-02");
        cells[index] = cells[index] with { State = CellState.DoorOpen, Door = DoorState.Open };
        var after = CompartmentGridMarkup.For(new BoxSnapshot(before.Box, cells, before.Index), localizer);

        Assert.Same(first.Header, after.Header);
        var rebuilt = Enumerable.Range(0, 20).Where(r => !ReferenceEquals(first.Rows[r], after.Rows[r])).ToList();
        Assert.Equal([1], rebuilt);
        Assert.Contains("data-label=\"04-02\" data-state=\"DoorOpen\"", after.Rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALiveChange_SendsOnlyTheChangedCell_ToTheBrowser_WithoutARender()
    {
        var (module, grid, cells) = await AttachedGridWithOneCellPatchedAsync();

        var sent = Assert.IsAssignableFrom<IEnumerable<string>>(Assert.Single(module.Invocations["patch"]).Arguments[1]);
        var html = Assert.Single(sent);
        Assert.Contains($"data-label=\"{cells[5].Label}\" data-state=\"Ready\"", html, StringComparison.Ordinal);
        Assert.Same(html, CompartmentGridMarkup.Cell(cells[5], Services.GetRequiredService<IStringLocalizer<SharedResource>>()));
        Assert.Equal(1, grid.RenderCount);
    }

    [Fact]
    public async Task ALaterRender_ShowsTheNewestCells_ThatWereOnlySentAsPatches()
    {
        var (_, grid, cells) = await AttachedGridWithOneCellPatchedAsync();

        // The page's own state changes (a filter): the grid renders, with the cell as the patch left it.
        grid.Render(p => p.Add(g => g.Filter, new CellFilter(new HashSet<CellState> { CellState.Ready }, null, null)));

        Assert.Equal("Ready", grid.Find($"[data-label='{cells[5].Label}']").GetAttribute("data-state"));
    }

    /// <summary>A grid whose script is attached (as in a browser), then a live change of one cell (the sixth, to Ready).</summary>
    private async Task<(BunitJSModuleInterop Module, IRenderedComponent<CompartmentGrid> Grid, CompartmentCell[] Cells)> AttachedGridWithOneCellPatchedAsync()
    {
        var module = JSInterop.SetupModule("./js/compartment-grid.js");
        module.SetupVoid("attach", _ => true).SetVoidResult();
        module.SetupVoid("patch", _ => true).SetVoidResult();
        var before = Snapshot(Box(modules: 4, rows: 3));
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Snapshot, before));
        grid.WaitForAssertion(() => Assert.Single(module.Invocations["attach"]));
        var cells = before.Cells.ToArray();
        cells[5] = cells[5] with { State = CellState.Ready };
        await grid.InvokeAsync(() => grid.Instance.ShowAsync(new BoxSnapshot(before.Box, cells, before.Index)));
        return (module, grid, cells);
    }

    [Fact]
    public async Task ANewLayout_RendersTheGridAlone()
    {
        var before = Snapshot(Box(modules: 4, rows: 3));
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Snapshot, before));
        var cells = Box(modules: 5, rows: 3);

        await grid.InvokeAsync(() => grid.Instance.ShowAsync(Snapshot(cells)));

        Assert.Equal(15, grid.FindAll("[role=gridcell]").Count);
        Assert.Equal(2, grid.RenderCount);
    }
}
