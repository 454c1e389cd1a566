using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;

namespace BackOffice.UnitTests.Occupancy;

/// <summary>The monitor's one input and what of it goes to the other instances (docs/decisions/0025).</summary>
public class OccupancyChangesTests
{
    [Fact]
    public void ChangesMadeHere_GoToTheMonitorAndTheRelay()
    {
        var changes = new OccupancyChanges();
        var relayed = new List<OccupancyChange>();
        changes.RelayTo(relayed.Add);
        var compartment = Guid.NewGuid();
        var box = Guid.NewGuid();
        var at = DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        changes.CompartmentChanged(compartment);
        changes.BoxChanged(box);
        changes.DoorReported(compartment, DoorState.Open, at);

        OccupancyChange[] expected =
        [
            new(null, compartment, null),
            new(box, null, null),
            new(null, compartment, new ReportedDoor(DoorState.Open, at)),
        ];
        Assert.Equal(expected, relayed);
        Assert.Equal(expected, ReadAll(changes));
    }

    [Fact]
    public void ChangesFromAnotherInstance_GoToTheMonitorOnly_NeverBack()
    {
        var changes = new OccupancyChanges();
        var relayed = new List<OccupancyChange>();
        changes.RelayTo(relayed.Add);
        var remote = new OccupancyChange(null, Guid.NewGuid(), new ReportedDoor(DoorState.Closed, DateTimeOffset.UnixEpoch));

        changes.Received(remote);

        Assert.Empty(relayed);
        Assert.Equal([remote], ReadAll(changes));
    }

    [Fact]
    public void MonitorsPoll_IsNotRelayed()
    {
        var changes = new OccupancyChanges();
        var relayed = new List<OccupancyChange>();
        changes.RelayTo(relayed.Add);

        changes.Polled(Guid.NewGuid());

        Assert.Empty(relayed);
        Assert.Single(ReadAll(changes));
    }

    [Fact]
    public void Resync_AsksForEverything_AndAnEmptyChangeFromOutsideIsIgnored()
    {
        var changes = new OccupancyChanges();

        changes.Received(default);
        changes.Resync();

        var read = Assert.Single(ReadAll(changes));
        Assert.Null(read.BoxId);
        Assert.Null(read.CompartmentId);
    }

    [Fact]
    public void RelayTo_Twice_IsRefused()
    {
        var changes = new OccupancyChanges();
        changes.RelayTo(_ => { });

        Assert.Throws<InvalidOperationException>(() => changes.RelayTo(_ => { }));
    }

    private static List<OccupancyChange> ReadAll(OccupancyChanges changes)
    {
        var read = new List<OccupancyChange>();
        while (changes.Reader.TryRead(out var change))
        {
            read.Add(change);
        }
        return read;
    }
}
