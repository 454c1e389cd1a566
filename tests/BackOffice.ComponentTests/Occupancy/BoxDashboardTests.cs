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
/// The box dashboard against a stand-in box monitor: a change the monitor sends shows in its cell, in the summary, in
/// the selected cell's details and in the charts, without touching the other cells.
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
    }

    [Fact]
    public void AChangeFromTheMonitor_UpdatesTheCell_TheSummaryAndTheCharts_AndNoOtherCell()
    {
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(620, page.FindAll("[role=gridcell]").Count), Patience);
        Assert.Equal("Free", page.Find("[data-label='04-02']").GetAttribute("data-state"));
        Assert.Equal(1, _monitor.Subscribers);
        var views = page.FindComponents<CompartmentCellView>();
        var before = views.ToDictionary(v => v.Instance.Cell.Id, v => v.RenderCount);

        var cell = _cells.Single(c => c.Label == "04-02");
        var opened = cell with { State = CellState.DoorOpen, Door = DoorState.Open };
        _monitor.Send(new OccupancyUpdate(Summary(_cells.Count, ready: 3, pickupsToday: 2) with { InUse = 1 }, [opened]));

        page.WaitForAssertion(() => Assert.Equal("DoorOpen", page.Find("[data-label='04-02']").GetAttribute("data-state")), Patience);
        Assert.Equal("T", page.Find("[data-label='04-02']").TextContent.Trim());
        Assert.Equal("3", page.Find("[data-testid=box-ready]").TextContent.Trim());
        Assert.Equal("2", page.Find("[data-testid=charts]").GetAttribute("data-pickups"));
        Assert.Equal("1", page.Find("[data-testid=charts]").GetAttribute("data-in-use"));
        var repainted = views.Where(v => v.RenderCount != before[v.Instance.Cell.Id]).Select(v => v.Instance.Cell.Label).ToList();
        Assert.Equal(["04-02"], repainted);
    }

    [Fact]
    public void TheSelectedCellsDetails_FollowTheMonitor()
    {
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(620, page.FindAll("[role=gridcell]").Count), Patience);
        page.Find("[data-label='04-02']").KeyDown(CompartmentGridTests.Press("Enter"));
        Assert.Contains("Fach 04-02", page.Find("[data-testid=cell-details]").TextContent, StringComparison.Ordinal);
        Assert.Equal("frei", page.Find("[data-testid=cell-state]").TextContent.Trim());
        // A supervisor may open it for service.
        Assert.NotNull(page.Find("[data-testid=cell-service-open]"));

        var cell = _cells.Single(c => c.Label == "04-02");
        _monitor.Send(new OccupancyUpdate(Summary(_cells.Count), [cell with { State = CellState.DoorOpen, Door = DoorState.Open }]));

        page.WaitForAssertion(() => Assert.Equal("Tür offen", page.Find("[data-testid=cell-state]").TextContent.Trim()), Patience);
        Assert.Equal("offen", page.Find("[data-testid=cell-door]").TextContent.Trim());
    }

    [Fact]
    public void TheStateFilter_DimsTheOtherCells()
    {
        var cells = Box(modules: 5, rows: 4);
        cells[0] = cells[0] with { State = CellState.Overdue };
        _monitor.Snapshot = new BoxSnapshot(Summary(cells.Count), cells);
        Render<MudPopoverProvider>();
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "DLZ-1"));
        page.WaitForAssertion(() => Assert.Equal(20, page.FindAll("[role=gridcell]").Count), Patience);

        var select = page.FindComponent<MudSelect<CellState>>();
        page.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync(new HashSet<CellState> { CellState.Overdue }));

        page.WaitForAssertion(() => Assert.Equal(19, page.FindAll("[role=gridcell].cell-dimmed").Count), Patience);
        Assert.DoesNotContain("cell-dimmed", page.Find($"[data-label='{cells[0].Label}']").ClassList);
    }

    [Fact]
    public void AnUnknownBox_SaysSo_AndSubscribesToNothing()
    {
        var page = Render<BoxDashboard>(p => p.Add(d => d.Code, "XYZ-9"));

        page.WaitForAssertion(() => Assert.Contains("Die Ausgabebox XYZ-9 gibt es nicht.", page.Find("h1").TextContent, StringComparison.Ordinal));
        Assert.Equal(0, _monitor.Subscribers);
    }
}
