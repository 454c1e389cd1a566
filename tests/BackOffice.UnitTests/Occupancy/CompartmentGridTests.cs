using AngleSharp.Html.Parser;
using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.UnitTests.Occupancy;

/// <summary>The compartment grid rendered to HTML: every state by colour class, by letter and by tooltip, laid out as the box.</summary>
public class CompartmentGridTests
{
    private static readonly Guid Box = Guid.NewGuid();

    [Fact]
    public async Task EveryState_HasItsClass_ALetter_AndAGermanTooltip()
    {
        var states = Enum.GetValues<CellState>();
        var cells = states.Select((state, i) => Cell(module: 1, row: i + 1, state)).ToList();

        var document = await RenderAsync(cells);

        var buttons = document.QuerySelectorAll("button.cell");
        Assert.Equal(states.Length, buttons.Length);
        var letters = new HashSet<string>();
        foreach (var (state, button) in states.Zip(buttons))
        {
            Assert.Contains($"cell-{state.ToString().ToLowerInvariant()}", button.ClassList);
            Assert.Equal(state.ToString(), button.GetAttribute("data-state"));
            var letter = button.TextContent.Trim();
            Assert.False(string.IsNullOrEmpty(letter), $"{state} shows a letter, not colour alone.");
            letters.Add(letter);
            Assert.Equal(button.GetAttribute("title"), button.GetAttribute("aria-label"));
            Assert.StartsWith($"Fach 01-{states.ToList().IndexOf(state) + 1:00}", button.GetAttribute("title"), StringComparison.Ordinal);
        }
        Assert.Equal(states.Length, letters.Count);
        Assert.Contains("überfällig", buttons[(int)CellState.Overdue].GetAttribute("title"), StringComparison.Ordinal);
        Assert.Contains("Tür klemmt", buttons[(int)CellState.Fault].GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cells_ArePlacedByModuleAndRow_AndFilteredOnesAreDimmed()
    {
        var cells = new[] { Cell(1, 1, CellState.Free), Cell(3, 2, CellState.Ready), Cell(2, 5, CellState.Overdue) };

        var document = await RenderAsync(cells, visible: c => c.State == CellState.Overdue);

        var grid = document.QuerySelector("[data-testid=compartment-grid]")!;
        Assert.Contains("repeat(3,", grid.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("repeat(5,", grid.GetAttribute("style"), StringComparison.Ordinal);
        var overdue = document.QuerySelector("[data-label='02-05']")!;
        Assert.Contains("grid-column: 3; grid-row: 6", overdue.GetAttribute("style"), StringComparison.Ordinal);
        Assert.DoesNotContain("cell-dimmed", overdue.ClassList);
        Assert.Contains("cell-dimmed", document.QuerySelector("[data-label='01-01']")!.ClassList);
    }

    private static CompartmentCell Cell(int module, int row, CellState state) =>
        new(Guid.NewGuid(), Box, CompartmentLabel(module, row), module, row, CompartmentSize.S, false, state,
            state == CellState.DoorOpen ? DoorState.Open : DoorState.Closed, 0, null, null, null,
            state is CellState.Overdue or CellState.DueSoon ? new DateOnly(2026, 11, 20) : null,
            state == CellState.Fault ? "Fach: Tür klemmt" : null);

    private static string CompartmentLabel(int module, int row) => Compartment.LabelFor(module, row);

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> RenderAsync(
        IReadOnlyList<CompartmentCell> cells, Func<CompartmentCell, bool>? visible = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddLocalization(options => options.ResourcesPath = "Resources")
            .BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<CompartmentGrid>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(CompartmentGrid.Cells)] = cells,
                [nameof(CompartmentGrid.Visible)] = visible,
            }));
            return output.ToHtmlString();
        });
        return new HtmlParser().ParseDocument(html);
    }
}
