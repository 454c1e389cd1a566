using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;

namespace BackOffice.UnitTests.Domain;

/// <summary>An inventory's rules without a database: one door at a time, the box's door report, pause and resume, settling.</summary>
public class InventoryTests
{
    private const string Supervisor = "staff:teamleitung@demo.local";
    private const string Clerk = "staff:sachbearbeitung@demo.local";
    private static readonly DateTimeOffset At = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Start_NumbersTheCompartmentsInWalkingOrder_AndRuns()
    {
        var inventory = Started("01-01", "01-02", "02-01");

        Assert.Equal(InventoryStatus.Running, inventory.Status);
        Assert.Equal([1, 2, 3], inventory.Items.Select(i => i.Order));
        Assert.All(inventory.Items, i => Assert.Equal((inventory.Id, InventoryItemStatus.Pending), (i.InventoryId, i.Status)));
        Assert.Equal("01-01", inventory.Next!.CompartmentLabel);
    }

    [Fact]
    public void Start_WithoutCompartments_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Inventory.Start(Guid.NewGuid(), Guid.NewGuid(), null, [], At, Supervisor));

    [Fact]
    public void BeginOpening_WhileTheLastDoorIsStillOpen_IsRefused()
    {
        var inventory = Started("01-01", "01-02");
        var first = inventory.BeginOpening(At);
        inventory.Opened(first, At);
        inventory.Record(first, InventoryFinding.Present, null, At, Supervisor);

        var refused = Assert.Throws<InventoryStepException>(() => inventory.BeginOpening(At));

        Assert.Equal(InventoryStep.BeginOpening, refused.Step);
        Assert.Equal(InventoryItemStatus.Pending, inventory.Items[1].Status);
    }

    [Fact]
    public void BeginOpening_WhenTheDoorClosedButNoFindingYet_IsRefused()
    {
        var inventory = Started("01-01", "01-02");
        var first = inventory.BeginOpening(At);
        inventory.Opened(first, At);
        inventory.DoorClosed(first, At);

        Assert.Throws<InventoryStepException>(() => inventory.BeginOpening(At));
        Assert.Equal(InventoryItemStatus.Open, first.Status);
    }

    [Fact]
    public void FindingAndClosedDoor_CompleteTheCompartment_AndTheNextMayOpen()
    {
        var inventory = Started("01-01", "01-02");
        var first = inventory.BeginOpening(At);
        inventory.Opened(first, At);
        inventory.Record(first, InventoryFinding.Present, null, At.AddSeconds(5), Supervisor);

        inventory.DoorClosed(first, At.AddSeconds(9));
        var second = inventory.BeginOpening(At.AddSeconds(10));

        Assert.Equal(InventoryItemStatus.Done, first.Status);
        Assert.Equal((InventoryFinding.Present, Supervisor, (DateTimeOffset?)At.AddSeconds(9)), (first.Finding!.Value, first.CheckedBy, first.DoorClosedAt));
        Assert.Equal(("01-02", InventoryItemStatus.Opening), (second.CompartmentLabel, second.Status));
    }

    [Fact]
    public void LastCompartmentDone_FinishesTheInventory()
    {
        var inventory = Started("01-01");
        var item = inventory.BeginOpening(At);
        inventory.Opened(item, At);
        inventory.DoorClosed(item, At.AddSeconds(3));

        inventory.Record(item, InventoryFinding.Empty, null, At.AddSeconds(8), Supervisor);

        Assert.Equal((InventoryStatus.Finished, (DateTimeOffset?)At.AddSeconds(8)), (inventory.Status, inventory.EndedAt));
        Assert.True(item.IsDiscrepancy);
    }

    [Fact]
    public void Record_WrongDocument_NeedsTheScannedNumber_AndOnlyItHasOne()
    {
        var inventory = Started("01-01");
        var item = inventory.BeginOpening(At);
        inventory.Opened(item, At);

        Assert.Throws<ArgumentException>(() => inventory.Record(item, InventoryFinding.WrongDocument, " ", At, Supervisor));
        Assert.Throws<ArgumentException>(() => inventory.Record(item, InventoryFinding.Present, "T22000129", At, Supervisor));
        inventory.Record(item, InventoryFinding.WrongDocument, "T22000129", At, Supervisor);

        Assert.Equal("T22000129", item.FoundDocumentNumber);
        Assert.True(item.IsDiscrepancy);
    }

    [Fact]
    public void Record_Twice_OrBeforeTheDoorOpened_IsRefused()
    {
        var inventory = Started("01-01", "01-02");
        var item = inventory.BeginOpening(At);

        Assert.Throws<InventoryStepException>(() => inventory.Record(item, InventoryFinding.Present, null, At, Supervisor));
        inventory.Opened(item, At);
        inventory.Record(item, InventoryFinding.Present, null, At, Supervisor);
        Assert.Throws<InventoryStepException>(() => inventory.Record(item, InventoryFinding.Empty, null, At, Supervisor));
        Assert.Equal(InventoryFinding.Present, item.Finding);
    }

    [Fact]
    public void NotOpened_NoAnswer_PutsTheCompartmentBackAndPauses_ResumeGoesOnWithIt()
    {
        var inventory = Started("01-01", "01-02");
        var item = inventory.BeginOpening(At);

        inventory.NotOpened(item, boxFault: false, "Die Ausgabebox ist offline.");

        Assert.Equal((InventoryStatus.Paused, "Die Ausgabebox ist offline."), (inventory.Status, inventory.PauseReason));
        Assert.Equal(InventoryItemStatus.Pending, item.Status);
        Assert.Throws<InventoryStepException>(() => inventory.BeginOpening(At));
        inventory.Resume();
        Assert.Same(item, inventory.BeginOpening(At));
        Assert.Null(inventory.PauseReason);
    }

    [Fact]
    public void NotOpened_BoxFault_IsRecordedAndTheWalkGoesOn()
    {
        var inventory = Started("01-01", "01-02");
        var item = inventory.BeginOpening(At);

        inventory.NotOpened(item, boxFault: true, "Tür klemmt.");

        Assert.Equal((InventoryItemStatus.NotOpened, "Tür klemmt.", InventoryStatus.Running), (item.Status, item.Note, inventory.Status));
        Assert.Equal("01-02", inventory.BeginOpening(At).CompartmentLabel);
    }

    [Fact]
    public void Paused_TheOpenDoor_CanStillBeCheckedAndClosed()
    {
        var inventory = Started("01-01", "01-02");
        var item = inventory.BeginOpening(At);
        inventory.Opened(item, At);

        inventory.Pause("Die Ausgabebox ist offline.");
        inventory.Record(item, InventoryFinding.Present, null, At, Supervisor);
        inventory.DoorClosed(item, At);

        Assert.Equal((InventoryItemStatus.Done, InventoryStatus.Paused), (item.Status, inventory.Status));
    }

    [Fact]
    public void PauseResumeCancel_AreRefusedFromTheWrongState()
    {
        var inventory = Started("01-01");

        Assert.Throws<InventoryStepException>(() => inventory.Resume());
        inventory.Pause("Mittagspause");
        Assert.Throws<InventoryStepException>(() => inventory.Pause("noch einmal"));
        inventory.Cancel(At, "Vorzeitig beendet.");

        Assert.Equal((InventoryStatus.Cancelled, (DateTimeOffset?)At), (inventory.Status, inventory.EndedAt));
        Assert.Throws<InventoryStepException>(() => inventory.Resume());
        Assert.Throws<InventoryStepException>(() => inventory.Cancel(At, "wieder"));
        Assert.Throws<InventoryStepException>(() => inventory.BeginOpening(At));
    }

    [Fact]
    public void Resolve_SettlesADiscrepancyOnce_AndNothingElse()
    {
        var inventory = Started("01-01", "01-02");
        var empty = Check(inventory, InventoryFinding.Empty);
        var present = Check(inventory, InventoryFinding.Present);

        inventory.Resolve(empty, InventoryResolution.ReportedMissing, At, Clerk);

        Assert.Equal((InventoryResolution.ReportedMissing, Clerk, (DateTimeOffset?)At), (empty.Resolution!.Value, empty.ResolvedBy, empty.ResolvedAt));
        Assert.Throws<InventoryStepException>(() => inventory.Resolve(empty, InventoryResolution.BackToCounter, At, Clerk));
        Assert.Throws<InventoryStepException>(() => inventory.Resolve(present, InventoryResolution.ReportedMissing, At, Clerk));
    }

    [Fact]
    public void Load_Confirm_BySecondPerson_IsRecorded_ByTheClerkOrTwice_IsRefused()
    {
        var load = new CompartmentLoad { Id = Guid.NewGuid(), StartedBy = Clerk };

        Assert.Throws<InvalidOperationException>(() => load.Confirm("staff:SACHBEARBEITUNG@demo.local"));
        load.Confirm(Supervisor);

        Assert.Equal(Supervisor, load.ConfirmedBy);
        Assert.Throws<InvalidOperationException>(() => load.Confirm("staff:admin@demo.local"));
    }

    [Fact]
    public void Load_Confirm_AfterTheDoorOpened_IsRefused()
    {
        var load = new CompartmentLoad { Id = Guid.NewGuid(), StartedBy = Clerk, Status = LoadStatus.DoorOpen };

        Assert.Throws<InvalidOperationException>(() => load.Confirm(Supervisor));
        Assert.Null(load.ConfirmedBy);
    }

    private static InventoryItem Check(Inventory inventory, InventoryFinding finding)
    {
        var item = inventory.BeginOpening(At);
        inventory.Opened(item, At);
        inventory.Record(item, finding, null, At, Supervisor);
        inventory.DoorClosed(item, At);
        return item;
    }

    private static Inventory Started(params string[] labels) =>
        Inventory.Start(Guid.NewGuid(), Guid.NewGuid(), null,
            labels.Select(l => new InventoryItem { Id = Guid.NewGuid(), CompartmentId = Guid.NewGuid(), CompartmentLabel = l, ExpectedDocumentIds = [Guid.NewGuid()] }).ToList(),
            At, Supervisor);
}
