using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Components.Pages.Occupancy;
using static BackOffice.ComponentTests.Occupancy.OccupancyData;

namespace BackOffice.ComponentTests.Occupancy;

/// <summary>An opening from the dashboard is followed until the door closes: "ist offen" does not stay after it closed.</summary>
public class OpeningWatchTests
{
    private readonly CompartmentCell _cell = Cell(1, 3);

    [Fact]
    public void OpenedThenClosed_SaysClosed()
    {
        var watch = new OpeningWatch(_cell.Id, _cell.Label, retrieval: false);
        Assert.Equal(OpeningStage.Sent, watch.Stage);

        watch.Answered(opened: true, failure: null, current: _cell);
        Assert.Equal(OpeningStage.Open, watch.Stage);
        // The page's cell may still show the door closed from before the opening: that is not "closed again".
        Assert.False(watch.See(_cell));
        Assert.Equal(OpeningStage.Open, watch.Stage);

        watch.See(_cell with { Door = DoorState.Open, State = CellState.DoorOpen });
        Assert.True(watch.See(_cell with { Door = DoorState.Closed }));
        Assert.Equal(OpeningStage.Closed, watch.Stage);
    }

    [Fact]
    public void TheDoorOpenedAndClosedBeforeTheAnswer_SaysClosedAtTheAnswer()
    {
        var watch = new OpeningWatch(_cell.Id, _cell.Label, retrieval: true);
        watch.See(_cell with { Door = DoorState.Open, State = CellState.DoorOpen });
        watch.See(_cell);
        Assert.Equal(OpeningStage.Sent, watch.Stage);

        watch.Answered(opened: true, failure: null, current: _cell);

        Assert.Equal(OpeningStage.Closed, watch.Stage);
    }

    [Fact]
    public void OpenAndClosedInOneUpdate_SaysClosed_FromTheNewerDoorReport()
    {
        // The box's open and closed reports reached the page as one update (one batch, or replayed after an outage):
        // the page never saw the door open, only a newer "closed" report.
        var before = _cell with { DoorSince = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero) };
        var watch = new OpeningWatch(before.Id, before.Label, retrieval: false, before.DoorSince);
        watch.Answered(opened: true, failure: null, current: before);
        Assert.False(watch.See(before));

        Assert.True(watch.See(before with { DoorSince = before.DoorSince!.Value.AddSeconds(20) }));
        Assert.Equal(OpeningStage.Closed, watch.Stage);
    }

    [Fact]
    public void ARefusal_StaysARefusal_AndOtherCellsDoNotCount()
    {
        var watch = new OpeningWatch(_cell.Id, _cell.Label, retrieval: false);
        Assert.False(watch.See(Cell(2, 3) with { Door = DoorState.Open }));

        watch.Answered(opened: false, failure: "Die Ausgabebox DLZ-1 ist offline.", current: _cell);
        watch.See(_cell with { Door = DoorState.Open });
        watch.See(_cell);

        Assert.Equal(OpeningStage.Failed, watch.Stage);
        Assert.Equal("Die Ausgabebox DLZ-1 ist offline.", watch.Failure);
    }
}
