using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Components.Controls;
using Microsoft.AspNetCore.Components.Web;
using static BackOffice.ComponentTests.Occupancy.OccupancyData;

namespace BackOffice.ComponentTests.Occupancy;

/// <summary>
/// The compartment grid: every state by colour class, letter and German tooltip, laid out as the box stands, an ARIA
/// grid of rows, dimming by filter, the keyboard, and live changes that repaint only the changed cell.
/// </summary>
public class CompartmentGridTests : ComponentTest
{
    [Fact]
    public void EveryState_HasItsClass_ALetter_AndAGermanTooltip()
    {
        var states = Enum.GetValues<CellState>();
        var cells = states.Select((state, i) => Cell(module: 1, row: i + 1, state)).ToList();

        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Cells, cells));

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
            Assert.Equal(cell.GetAttribute("title"), cell.GetAttribute("aria-label"));
            Assert.StartsWith($"Fach 01-{(int)state + 1:00}", cell.GetAttribute("title"), StringComparison.Ordinal);
        }
        Assert.Equal(states.Length, letters.Count);
        Assert.Contains("überfällig", shown[(int)CellState.Overdue].GetAttribute("title"), StringComparison.Ordinal);
        Assert.Contains("Tür klemmt", shown[(int)CellState.Fault].GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_ArePlacedByModuleAndRow_AndTheFilterDimsTheOthers()
    {
        var cells = new[] { Cell(1, 1), Cell(3, 2, CellState.Ready, CompartmentSize.M), Cell(2, 5, CellState.Overdue) };

        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Cells, cells)
            .Add(g => g.Filter, CellFilter.None with { States = new HashSet<CellState> { CellState.Overdue } }));

        var style = grid.Find("[data-testid=compartment-grid]").GetAttribute("style");
        Assert.Contains("--grid-modules: 3", style, StringComparison.Ordinal);
        Assert.Contains("--grid-rows: 5", style, StringComparison.Ordinal);
        var overdue = grid.Find("[data-label='02-05']");
        Assert.Contains("grid-column: 3; grid-row: 6", overdue.GetAttribute("style"), StringComparison.Ordinal);
        Assert.DoesNotContain("cell-dimmed", overdue.ClassList);
        Assert.Contains("cell-dimmed", grid.Find("[data-label='01-01']").ClassList);

        // By size: only the M cell stays bright.
        grid.Render(p => p.Add(g => g.Filter, CellFilter.None with { Size = CompartmentSize.M }));
        Assert.DoesNotContain("cell-dimmed", grid.Find("[data-label='03-02']").ClassList);
        Assert.Contains("cell-dimmed", grid.Find("[data-label='02-05']").ClassList);
    }

    [Fact]
    public void TheGrid_IsRowsOfCells_WithHeaders_AndOneTabStop()
    {
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Cells, Box(modules: 3, rows: 2)));

        var root = grid.Find("[role=grid]");
        Assert.False(string.IsNullOrWhiteSpace(root.GetAttribute("aria-label")));
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
        Assert.Equal("01-01", Assert.Single(grid.FindAll("[role=gridcell][tabindex='0']")).GetAttribute("data-label"));
    }

    [Fact]
    public async Task ArrowKeys_MoveTheFocusBetweenCells_AndEnterSelects()
    {
        CompartmentCell? selected = null;
        var cells = Box(modules: 3, rows: 3);
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Cells, cells).Add(g => g.OnSelect, c => selected = c));

        await grid.Find("[data-label='01-01']").KeyDownAsync(Press("ArrowRight"));
        AssertTabStop(grid, "02-01");
        await grid.Find("[data-label='02-01']").KeyDownAsync(Press("ArrowDown"));
        AssertTabStop(grid, "02-02");
        await grid.Find("[data-label='02-02']").KeyDownAsync(Press("End"));
        AssertTabStop(grid, "03-02");
        await grid.Find("[data-label='03-02']").KeyDownAsync(Press("ArrowRight"));
        AssertTabStop(grid, "03-02");
        await grid.Find("[data-label='03-02']").KeyDownAsync(Press("Home"));
        AssertTabStop(grid, "01-02");
        await grid.Find("[data-label='01-02']").KeyDownAsync(Press("ArrowUp"));
        AssertTabStop(grid, "01-01");
        // Every move put the browser's focus on the new cell.
        JSInterop.VerifyFocusAsyncInvoke(5);

        Assert.Null(selected);
        await grid.Find("[data-label='01-01']").KeyDownAsync(Press("Enter"));
        Assert.Equal("01-01", selected?.Label);
        await grid.Find("[data-label='02-02']").ClickAsync(new());
        Assert.Equal("02-02", selected?.Label);
        AssertTabStop(grid, "02-02");
    }

    [Fact]
    public void ArrowKeys_SkipTheGapsOfShorterModules()
    {
        // Module 2 has large compartments: rows 1 and 3 only.
        var cells = new[] { Cell(1, 1), Cell(1, 2), Cell(1, 3), Cell(2, 1), Cell(2, 3), Cell(3, 2) };
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Cells, cells));

        grid.Find("[data-label='02-01']").KeyDown(Press("ArrowDown"));
        AssertTabStop(grid, "02-03");
        grid.Find("[data-label='02-03']").KeyDown(Press("ArrowRight"));
        AssertTabStop(grid, "02-03");
    }

    [Fact]
    public void ALiveChange_RepaintsOnlyTheChangedCell()
    {
        var cells = Box(modules: 31, rows: 20).ToArray();
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Cells, cells));
        var views = grid.FindComponents<CompartmentCellView>();
        Assert.Equal(620, views.Count);
        var rendersBefore = views.ToDictionary(v => v.Instance.Cell.Id, v => v.RenderCount);

        var index = Array.FindIndex(cells, c => c.Label == "04-02");
        var opened = cells[index] with { State = CellState.DoorOpen, Door = DoorState.Open };
        cells[index] = opened;
        grid.InvokeAsync(() => grid.Instance.Refresh([opened]));

        Assert.Equal("DoorOpen", grid.Find("[data-label='04-02']").GetAttribute("data-state"));
        var repainted = views.Where(v => v.RenderCount != rendersBefore[v.Instance.Cell.Id]).Select(v => v.Instance.Cell.Label).ToList();
        Assert.Equal(["04-02"], repainted);

        // The page rendering again with the same list, filter and selection repaints no cell.
        var afterChange = views.ToDictionary(v => v.Instance.Cell.Id, v => v.RenderCount);
        grid.Render(p => p.Add(g => g.Cells, cells));
        Assert.All(views, v => Assert.Equal(afterChange[v.Instance.Cell.Id], v.RenderCount));
    }

    [Fact]
    public void SelectingACell_RepaintsTheOldAndTheNewSelection_NotTheOthers()
    {
        var cells = Box(modules: 5, rows: 4);
        var grid = Render<CompartmentGrid>(p => p.Add(g => g.Cells, cells).Add(g => g.SelectedId, cells[0].Id));
        var views = grid.FindComponents<CompartmentCellView>();
        var before = views.ToDictionary(v => v.Instance.Cell.Id, v => v.RenderCount);

        grid.Render(p => p.Add(g => g.SelectedId, cells[5].Id));

        Assert.Equal("true", grid.Find($"[data-label='{cells[5].Label}']").GetAttribute("aria-selected"));
        Assert.Contains("cell-selected", grid.Find($"[data-label='{cells[5].Label}']").ClassList);
        Assert.DoesNotContain("cell-selected", grid.Find($"[data-label='{cells[0].Label}']").ClassList);
        var repainted = views.Where(v => v.RenderCount != before[v.Instance.Cell.Id]).Select(v => v.Instance.Cell.Label).Order().ToList();
        Assert.Equal(new[] { cells[0].Label, cells[5].Label }.Order(), repainted);
    }

    internal static KeyboardEventArgs Press(string key) => new() { Key = key };

    private static void AssertTabStop(IRenderedComponent<CompartmentGrid> grid, string label) =>
        Assert.Equal(label, Assert.Single(grid.FindAll("[role=gridcell][tabindex='0']")).GetAttribute("data-label"));
}
