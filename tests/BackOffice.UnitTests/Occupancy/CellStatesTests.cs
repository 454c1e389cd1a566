using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;

namespace BackOffice.UnitTests.Occupancy;

public class CellStatesTests
{
    private static readonly DateOnly Today = new(2026, 11, 21);

    [Theory]
    [InlineData(null, CompartmentState.Free, DoorState.Closed, 0, false, null, CellState.Free)]
    [InlineData(null, CompartmentState.ReservedForLoading, DoorState.Closed, 1, false, null, CellState.ReservedForLoading)]
    [InlineData("2026-11-30", CompartmentState.Occupied, DoorState.Closed, 1, false, null, CellState.Ready)]
    [InlineData("2026-11-23", CompartmentState.Occupied, DoorState.Closed, 1, false, null, CellState.DueSoon)]
    [InlineData("2026-11-21", CompartmentState.Occupied, DoorState.Closed, 1, false, null, CellState.DueSoon)]
    [InlineData("2026-11-20", CompartmentState.Occupied, DoorState.Closed, 1, false, null, CellState.Overdue)]
    [InlineData("2026-11-20", CompartmentState.Occupied, DoorState.Closed, 1, true, null, CellState.Locked)]
    [InlineData("2026-11-20", CompartmentState.Occupied, DoorState.Closed, 1, true, "beschlagnahmt", CellState.Blocked)]
    [InlineData(null, CompartmentState.OutOfService, DoorState.Closed, 0, false, null, CellState.OutOfService)]
    [InlineData("2026-11-20", CompartmentState.Occupied, DoorState.Open, 1, true, "beschlagnahmt", CellState.DoorOpen)]
    public void MostUrgentStateWins(
        string? deadline, CompartmentState state, DoorState door, int documents, bool locked, string? blocked, CellState expected)
    {
        var facts = Facts("03-07", state, door, documents, deadline is null ? null : DateOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture), locked, blocked);

        Assert.Equal(expected, CellStates.Derive(facts, [], Today, dueSoonDays: 2).State);
    }

    [Fact]
    public void FaultNamingTheCompartment_WinsOverEverything_OtherCompartmentsUnaffected()
    {
        string[] faults = ["Fach 03-07: Tür klemmt", "Schließsteuerung nicht erreichbar"];

        var named = CellStates.Derive(Facts("03-07", CompartmentState.Occupied, DoorState.Open, 1, null, false, null), faults, Today, 2);
        var other = CellStates.Derive(Facts("03-08", CompartmentState.Free, DoorState.Closed, 0, null, false, null), faults, Today, 2);

        Assert.Equal(CellState.Fault, named.State);
        Assert.Equal("Fach 03-07: Tür klemmt", named.Reason);
        Assert.Equal(CellState.Free, other.State);
    }

    [Fact]
    public void CompartmentToCheck_ShowsCheckWithItsReason_UnlessItsDoorIsOpen()
    {
        var closed = Facts("03-07", CompartmentState.Free, DoorState.Closed, 0, null, false, null) with { CheckReason = "Tür ohne Auftrag geöffnet" };
        var open = closed with { Door = DoorState.Open };

        var cell = CellStates.Derive(closed, [], Today, 2);

        Assert.Equal(CellState.Check, cell.State);
        Assert.Equal("Tür ohne Auftrag geöffnet", cell.Reason);
        Assert.Equal(CellState.DoorOpen, CellStates.Derive(open, [], Today, 2).State);
    }

    private static CompartmentFacts Facts(
        string label, CompartmentState state, DoorState door, int documents, DateOnly? deadline, bool locked, string? blocked) =>
        new(Guid.NewGuid(), Guid.NewGuid(), label, 3, 7, CompartmentSize.M, false, state, null, null, door, documents,
            documents > 0 ? Guid.NewGuid() : null, documents > 0 ? "*****3J4" : null, null, deadline, locked, blocked);
}
