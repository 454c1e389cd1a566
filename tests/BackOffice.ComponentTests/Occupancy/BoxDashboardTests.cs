using BackOffice.Application.Bridge;
using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Staff;
using BackOffice.Web.Bridge;
using BackOffice.Web.Components.Controls;
using BackOffice.Web.Components.Pages.Occupancy;
using MudBlazor;
using static BackOffice.ComponentTests.Occupancy.OccupancyData;

namespace BackOffice.ComponentTests.Occupancy;

/// <summary>
/// The box dashboard against a stand-in box monitor: a change the monitor sends goes to the browser as its one cell, and
/// shows in the summary, in the selected cell's details and in the charts, without touching the other cells.
/// </summary>
public class BoxDashboardTests : ComponentTest
{
    // 620 cells on a shared two-core machine: more than bUnit's default second.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<CompartmentCell> _cells = Box(modules: 31, rows: 20);
    private readonly FakeBoxMonitor _monitor;

    public BoxDashboardTests()
    {
        _monitor = new FakeBoxMonitor(new BoxSnapshot(Summary(_cells.Count), _cells));
        Services.AddSingleton<IBoxMonitor>(_monitor);
        // Opening is not exercised here; the page only needs them to exist.
        Services.AddSingleton(new CompartmentOpenings(null!, null!));
        Services.AddScoped<OpeningFeedback>();
        // The charts load from the database: a stub shows which counters they were asked to follow.
        ComponentFactories.AddStub<BoxCharts>(p =>
            $"<span data-testid=\"charts\" data-pickups=\"{p[nameof(BoxCharts.PickupsToday)]}\" data-in-use=\"{p[nameof(BoxCharts.InUse)]}\"></span>");
        SignIn("Tina Teamleitung", StaffRoles.Supervisor);
        _grid = JSInterop.SetupModule("./js/compartment-grid.js");
        _grid.SetupVoid("attach", _ => true).SetVoidResult();
        _grid.SetupVoid("patch", _ => true).SetVoidResult();
    }

    // The grid's script: it takes the cells a live change sends (the browser tests see them placed).
    private readonly BunitJSModuleInterop _grid;

    /// <summary>The grid is in the browser, with its script attached: from now on a live change goes there as cells.</summary>
    private void WaitUntilTheGridIsAttached(IRenderedComponent<BoxDashboard> page) =>
        page.WaitForAssertion(() => Assert.Single(_grid.Invocations["attach"]), Patience);

    /// <summary>The markup of the cells sent to the browser by live changes, newest last.</summary>
    private List<string> Patched() =>
        _grid.Invocations["patch"].SelectMany(i => (IEnumerable<string>)i.Arguments[1]!).ToList();

    [Fact]
    public void ANewSnapshot_UpdatesTheCell_TheSummaryAndTheCharts()
    {
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(620, page.FindAll("[role=gridcell]").Count), Patience);
        Assert.Equal("Free", page.Find("[data-label='04-02']").GetAttribute("data-state"));
        Assert.Equal(1, _monitor.Watchers);
        // The charts open on request.
        Assert.Empty(page.FindAll("[data-testid=charts]"));
        page.Find("[data-testid=toggle-charts]").Click();
        Assert.Equal("0", page.Find("[data-testid=charts]").GetAttribute("data-pickups"));
        WaitUntilTheGridIsAttached(page);

        _monitor.Publish(With(Summary(_cells.Count, ready: 3, pickupsToday: 2) with { InUse = 1 }, "04-02", CellState.DoorOpen));

        page.WaitForAssertion(() => Assert.Equal("3", page.Find("[data-testid=box-ready]").TextContent.Trim()), Patience);
        var cell = Assert.Single(Patched());
        Assert.Contains("data-label=\"04-02\" data-state=\"DoorOpen\"", cell, StringComparison.Ordinal);
        Assert.EndsWith(">T</div>", cell, StringComparison.Ordinal);
        Assert.Equal("3", page.Find("[data-testid=box-ready]").TextContent.Trim());
        Assert.Equal("2", page.Find("[data-testid=charts]").GetAttribute("data-pickups"));
        Assert.Equal("1", page.Find("[data-testid=charts]").GetAttribute("data-in-use"));
    }

    [Fact]
    public void ACellChange_GoesToTheBrowserAsThatCell_WithoutRenderingThePageOrTheGrid()
    {
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(620, page.FindAll("[role=gridcell]").Count), Patience);
        var grid = page.FindComponent<CompartmentGrid>();
        // The summary card renders whenever the page does (a page's RenderCount also counts its children's renders).
        var summary = page.FindComponent<BoxSummaryCard>();
        WaitUntilTheGridIsAttached(page);
        var (summaryRenders, gridRenders) = (summary.RenderCount, grid.RenderCount);

        _monitor.Publish(With(_monitor.Snapshot.Box, "04-02", CellState.DoorOpen));

        // Nothing renders, so the page gives no moment to check at: wait for the script to be called.
        Assert.True(SpinWait.SpinUntil(() => Patched().Count > 0, Patience));
        Assert.Contains("data-label=\"04-02\" data-state=\"DoorOpen\"", Assert.Single(Patched()), StringComparison.Ordinal);
        Assert.Equal(summaryRenders, summary.RenderCount);
        Assert.Equal(gridRenders, grid.RenderCount);
    }

    [Fact]
    public void AHeartbeatWithinTheMinute_RendersNothing_TheNextMinuteIsShown()
    {
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(620, page.FindAll("[role=gridcell]").Count), Patience);
        var summary = page.FindComponent<BoxSummaryCard>();
        WaitUntilTheGridIsAttached(page);
        var renders = summary.RenderCount;
        var first = _monitor.Snapshot.Box.LastHeartbeatAt!.Value;
        // 10:00 in Berlin on the card.
        Assert.Contains("02.12.2026 10:00", summary.Find("[data-testid=box-connection]").TextContent, StringComparison.Ordinal);

        // The next heartbeat: a new summary object, the same minute on screen.
        _monitor.Publish(new BoxSnapshot(_monitor.Snapshot.Box with { LastHeartbeatAt = first.AddSeconds(10) }, _monitor.Snapshot.Cells, _monitor.Snapshot.Index));
        // A cell change after it: once that reached the script, the heartbeat's snapshot was applied before it.
        _monitor.Publish(With(_monitor.Snapshot.Box, "04-02", CellState.DoorOpen));
        Assert.True(SpinWait.SpinUntil(() => Patched().Count > 0, Patience));
        Assert.Equal(renders, summary.RenderCount);

        _monitor.Publish(new BoxSnapshot(_monitor.Snapshot.Box with { LastHeartbeatAt = first.AddSeconds(70) }, _monitor.Snapshot.Cells, _monitor.Snapshot.Index));
        page.WaitForAssertion(
            () => Assert.Contains("02.12.2026 10:01", summary.Find("[data-testid=box-connection]").TextContent, StringComparison.Ordinal), Patience);
    }

    [Fact]
    public void ASummary_ShowsTheSame_OnlyWhenEverythingOnTheCardIsEqual()
    {
        var box = Summary(620) with { Faults = ["Störung A"] };
        Assert.True(BoxSummaryCard.ShowsTheSame(box, box with { LastHeartbeatAt = box.LastHeartbeatAt!.Value.AddSeconds(59), Faults = ["Störung A"] }));
        Assert.False(BoxSummaryCard.ShowsTheSame(box, box with { LastHeartbeatAt = box.LastHeartbeatAt!.Value.AddSeconds(60) }));
        Assert.False(BoxSummaryCard.ShowsTheSame(box, box with { LastHeartbeatAt = null }));
        Assert.False(BoxSummaryCard.ShowsTheSame(box, box with { Online = false }));
        Assert.False(BoxSummaryCard.ShowsTheSame(box, box with { Ready = 1 }));
        Assert.False(BoxSummaryCard.ShowsTheSame(box, box with { Faults = ["Störung B"] }));
    }

    [Fact]
    public async Task TheSelectedCellsDetails_FollowTheMonitor()
    {
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(620, page.FindAll("[role=gridcell]").Count), Patience);
        var grid = page.FindComponent<CompartmentGrid>();
        await page.InvokeAsync(() => grid.Instance.SelectCellAsync("04-02"));
        Assert.Contains("Fach 04-02", page.Find("[data-testid=cell-details]").TextContent, StringComparison.Ordinal);
        Assert.Equal("frei", page.Find("[data-testid=cell-state]").TextContent.Trim());
        Assert.Equal("04-02", page.Find("[data-testid=compartment-grid]").GetAttribute("data-selected"));
        // A supervisor may open it for service.
        Assert.NotNull(page.Find("[data-testid=cell-service-open]"));

        _monitor.Publish(With(_monitor.Snapshot.Box, "04-02", CellState.DoorOpen));

        page.WaitForAssertion(() => Assert.Equal("Tür offen", page.Find("[data-testid=cell-state]").TextContent.Trim()), Patience);
        Assert.Equal("offen", page.Find("[data-testid=cell-door]").TextContent.Trim());
    }

    [Fact]
    public void TheStateFilter_GoesToTheGrid()
    {
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(620, page.FindAll("[role=gridcell]").Count), Patience);

        var select = page.FindComponent<MudSelect<CellState>>();
        page.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync(new HashSet<CellState> { CellState.Overdue }));

        page.WaitForAssertion(() => Assert.Equal("Overdue", page.Find("[data-testid=compartment-grid]").GetAttribute("data-filter-states")), Patience);
    }

    [Fact]
    public void AnUnknownBox_SaysSo_AndWatchesNothing()
    {
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "XYZ-9"));

        page.WaitForAssertion(() => Assert.Contains("Die Ausgabebox XYZ-9 gibt es nicht.", page.Find("h1").TextContent, StringComparison.Ordinal));
        Assert.Equal(0, _monitor.Watchers);
    }

    [Fact]
    public async Task ClosingThePage_EndsItsFeed()
    {
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(1, _monitor.Watchers), Patience);

        await DisposeComponentsAsync();

        Assert.Equal(0, _monitor.Watchers);
    }

    /// <summary>The monitor's current snapshot with one cell in another state, as after a door event.</summary>
    private BoxSnapshot With(BoxOccupancy summary, string label, CellState state)
    {
        var cells = _monitor.Snapshot.Cells.ToArray();
        var index = Array.FindIndex(cells, c => c.Label == label);
        cells[index] = cells[index] with { State = state, Door = state == CellState.DoorOpen ? DoorState.Open : cells[index].Door };
        return new BoxSnapshot(summary, cells, _monitor.Snapshot.Index);
    }
}
