using BackOffice.Application.Inventories;
using BackOffice.Application.Reports;
using BackOffice.Bridge;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>Inventur over the real hub, the real bridge code and the lock simulator: one door at a time, pause, settling, Bestandsprotokoll.</summary>
public class InventoryTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    private const string Supervisor = "staff:teamleitung@demo.local";
    private const string Clerk = "staff:sachbearbeitung@demo.local";

    private InventoryRuns Runs => app.Services.GetRequiredService<InventoryRuns>();

    [Fact]
    public async Task Inventory_OpensOneDoorAtATime_RecordsFindings_AndDiscrepanciesAreSettledByAClerk()
    {
        await app.StartOpenBoxAsync();
        var present = await ReadyDocuments.CreateAsync(app, "T22000129", "V");
        var gone = await ReadyDocuments.CreateAsync(app, "T22000129", "V");
        var swapped = await ReadyDocuments.CreateAsync(app, "T22000129", "V");
        var misplaced = await ReadyDocuments.CreateAsync(app, "T22000129", "V");
        // From here on a door stays open until someone closes it, as at a real box.
        var (_, doors) = await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1, new SimulatedLockOptions { OpenDelay = TimeSpan.FromMilliseconds(30), AutoCloseAfter = null });
        var box = await app.CompartmentAsync("DLZ-1", present.Label);
        var misplacedNumber = (await ReadyDocuments.GetAsync(app, misplaced.Id)).DocumentNumber;

        // The class's clock stands still: moved on a second (well within the heartbeat timeout), this run's commands and
        // audit lines are told apart from earlier tests'.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var (id, refusal) = await Runs.StartAsync(box.BoxId, box.Module, Supervisor);

        Assert.Null(refusal);
        var inventory = (await Runs.GetAsync(id!.Value))!.Inventory;
        Assert.Contains(inventory.Items, i => i.CompartmentLabel == present.Label && i.ExpectedDocumentIds.SequenceEqual([present.Id]));
        Assert.Equal(Application.Common.RefusalCode.InventoryAlreadyOpen, (await Runs.StartAsync(box.BoxId, null, Supervisor)).Refusal?.Code);

        var findings = new Dictionary<string, (InventoryFinding Finding, string? Number)>
        {
            [gone.Label] = (InventoryFinding.Empty, null),
            [swapped.Label] = (InventoryFinding.WrongDocument, misplacedNumber),
        };
        foreach (var item in inventory.Items)
        {
            var opened = await Runs.OpenNextAsync(id.Value, Supervisor, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Null(opened);
            await WaitForAsync(id.Value, i => i.Items.Single(x => x.Id == item.Id).Status == InventoryItemStatus.Open, $"{item.CompartmentLabel} is open");

            // The door is open: neither a second door nor the next step without a finding.
            Assert.Equal(Application.Common.RefusalCode.InventoryFindingMissing, (await Runs.OpenNextAsync(id.Value, Supervisor))?.Code);
            var (finding, number) = findings.GetValueOrDefault(item.CompartmentLabel, (InventoryFinding.Present, null));
            Assert.Null(await Runs.RecordAsync(id.Value, item.Id, finding, number, Supervisor));
            Assert.Equal(Application.Common.RefusalCode.InventoryDoorStillOpen, (await Runs.OpenNextAsync(id.Value, Supervisor))?.Code);

            doors.CloseDoor(item.CompartmentLabel);
            await WaitForAsync(id.Value, i => i.Items.Single(x => x.Id == item.Id).Status == InventoryItemStatus.Done, $"{item.CompartmentLabel} is done");
        }

        var done = (await Runs.GetAsync(id.Value))!.Inventory;
        Assert.Equal(InventoryStatus.Finished, done.Status);
        Assert.All(done.Items, i => Assert.Equal(1, doors.OpenCount(i.CompartmentLabel)));
        await using (var db = await app.NewDbContextAsync())
        {
            var commands = await db.BridgeCommands.Where(c => c.Reason == Inventory.OpeningReason && c.CreatedAt >= done.StartedAt).ToListAsync();
            Assert.Equal(done.Items.Count, commands.Count);
            Assert.All(commands, c => Assert.Equal((CommandPurpose.Service, Supervisor), (c.Purpose, c.RequestedBy)));
            var actions = await db.AuditEntries.Where(a => a.At >= done.StartedAt).Select(a => a.Action).ToListAsync();
            Assert.Contains("inventory.started", actions);
            Assert.Contains("inventory.finished", actions);
            Assert.Equal(done.Items.Count, actions.Count(a => a == "inventory.checked"));
        }

        var discrepancies = await Runs.OpenDiscrepanciesAsync();
        Assert.Equal([gone.Label, swapped.Label], discrepancies.Select(d => d.CompartmentLabel).Order());
        Assert.Null(await Runs.ResolveAsync(discrepancies.Single(d => d.CompartmentLabel == gone.Label).ItemId, InventoryResolution.ReportedMissing, Clerk));
        Assert.Null(await Runs.ResolveAsync(discrepancies.Single(d => d.CompartmentLabel == swapped.Label).ItemId, InventoryResolution.BackToCounter, Clerk));
        Assert.Equal(Application.Common.RefusalCode.InventoryAlreadySettled,
            (await Runs.ResolveAsync(discrepancies[0].ItemId, InventoryResolution.BackToCounter, Clerk))?.Code);

        Assert.Empty(await Runs.OpenDiscrepanciesAsync());
        var missing = await ReadyDocuments.GetAsync(app, gone.Id);
        Assert.Equal((DocumentState.Missing, (string?)null), (missing.State, missing.PinHash));
        Assert.Equal(DocumentState.BackAtCounter, (await ReadyDocuments.GetAsync(app, swapped.Id)).State);
        // The wrong document found in another compartment was brought to the counter by the supervisor.
        Assert.Equal(DocumentState.BackAtCounter, (await ReadyDocuments.GetAsync(app, misplaced.Id)).State);
        Assert.Equal(DocumentState.ReadyForPickup, (await ReadyDocuments.GetAsync(app, present.Id)).State);
        foreach (var label in new[] { gone.Label, swapped.Label, misplaced.Label })
        {
            Assert.Equal(CompartmentState.Free, (await app.CompartmentAsync("DLZ-1", label)).State);
        }
        Assert.Equal(CompartmentState.Occupied, (await app.CompartmentAsync("DLZ-1", present.Label)).State);
        await using (var db = await app.NewDbContextAsync())
        {
            // Back at the counter, the citizen gets the SMS of any return to the counter (as after a retrieval); a
            // document reported missing has nothing to collect.
            var told = await db.OutgoingSms.Where(m => m.Purpose == Domain.Messaging.SmsPurpose.ReturnedToCounter
                && (m.DocumentId == gone.Id || m.DocumentId == swapped.Id || m.DocumentId == misplaced.Id)).Select(m => m.DocumentId).ToListAsync();
            Assert.Equal(new Guid?[] { swapped.Id, misplaced.Id }.Order(), told.Order());
        }

        // The missing document turns up: back at the counter with where it was, audited, the citizen told, in the Vorgangsauszug.
        var counter = app.Services.GetRequiredService<Application.Pickup.DocumentActions>();
        Assert.Equal(Application.Common.RefusalCode.FoundReasonRequired, (await counter.ReportFoundAsync(gone.Id, " ", Clerk))?.Code);
        Assert.Null(await counter.ReportFoundAsync(gone.Id, "Lag im Tresor der Ausweisstelle", Clerk));
        Assert.Equal(Application.Common.RefusalCode.FoundOnlyWhenMissing, (await counter.ReportFoundAsync(gone.Id, "noch einmal", Clerk))?.Code);
        Assert.Equal((DocumentState.BackAtCounter, (string?)null), ((await ReadyDocuments.GetAsync(app, gone.Id)).State, (await ReadyDocuments.GetAsync(app, gone.Id)).PinHash));
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.True(await db.OutgoingSms.AnyAsync(m => m.DocumentId == gone.Id && m.Purpose == Domain.Messaging.SmsPurpose.ReturnedToCounter));
            var found = await db.AuditEntries.SingleAsync(a => a.Action == "document.found" && a.Subject == $"document:{gone.Id}");
            Assert.Equal((Clerk, "Lag im Tresor der Ausweisstelle"), (found.Actor, found.Details));
        }
        var history = (await app.Services.GetRequiredService<ReportService>().BuildAsync(
            new ReportRequest(ReportKind.DocumentHistory, DocumentId: gone.Id), new ReportRequester(Clerk, "Sachbearbeitung"))).Report!;
        Assert.Contains(history.Blocks.OfType<ReportTable>().SelectMany(t => t.Rows).SelectMany(r => r),
            cell => cell.Contains("Wiedergefunden, liegt am Schalter", StringComparison.Ordinal) && cell.Contains("Lag im Tresor der Ausweisstelle", StringComparison.Ordinal));

        // The Bestandsprotokoll records the whole run, settlements included.
        var today = DateOnly.FromDateTime(Application.Common.OfficeClock.ToOfficeTime(app.Clock.GetUtcNow()).DateTime);
        var reports = app.Services.GetRequiredService<ReportService>();
        var request = new ReportRequest(ReportKind.InventoryProtocol, "DLZ-1", today.AddDays(-1), today.AddDays(1));
        var csv = System.Text.Encoding.UTF8.GetString((await reports.GenerateAsync(request, ReportFileFormat.Csv, new ReportRequester(Supervisor, "Teamleitung"),
            TestContext.Current.CancellationToken)).Content!);
        Assert.Contains("als vermisst gemeldet", csv, StringComparison.Ordinal);
        Assert.Contains("zurück am Schalter", csv, StringComparison.Ordinal);
        Assert.Contains("leer", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(misplacedNumber, csv, StringComparison.Ordinal);
        var pdf = await reports.GenerateAsync(request, ReportFileFormat.Pdf, new ReportRequester(Supervisor, "Teamleitung"), TestContext.Current.CancellationToken);
        var text = await PdfTools.TextAsync(pdf.Content!);
        Assert.Contains("Bestandsprotokoll", text, StringComparison.Ordinal);
        Assert.Contains(gone.Label, text, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("BACKOFFICE_INVENTORY_PDF") is { Length: > 0 } path)
        {
            await File.WriteAllBytesAsync(path, pdf.Content!, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Inventory_BoxGoesOffline_IsPaused_AndResumesWhenTheBoxIsBack()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var (bridge, _) = await app.StartBridgeAsync(key);
        var compartment = await app.CompartmentAsync("HOL-1", "01-02");
        await using (var db = await app.NewDbContextAsync())
        {
            // An occupied compartment to count; what is inside does not matter here.
            await db.Compartments.Where(c => c.Id == compartment.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CompartmentState.Occupied));
        }
        var (id, _) = await Runs.StartAsync(compartment.BoxId, 1, Supervisor);
        Assert.NotNull(id);

        await bridge.StopAsync(TestContext.Current.CancellationToken);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        // The app's own sweep runs on the same clock and may pause it a moment first (seen once in a full run): between
        // the two it is paused exactly once, and this sweep reports what it paused itself.
        var pausedHere = await Runs.SweepAsync(TestContext.Current.CancellationToken);
        Assert.InRange(pausedHere, 0, 1);
        Assert.Equal(0, await Runs.SweepAsync(TestContext.Current.CancellationToken));

        var paused = (await Runs.GetAsync(id.Value))!.Inventory;
        Assert.Equal(InventoryStatus.Paused, paused.Status);
        Assert.Contains("offline", paused.PauseReason, StringComparison.Ordinal);
        Assert.Equal(Application.Common.RefusalCode.InventoryNotRunning, (await Runs.OpenNextAsync(id.Value, Supervisor))?.Code);
        Assert.Equal(Application.Common.RefusalCode.BoxOffline, (await Runs.ResumeAsync(id.Value, Supervisor))?.Code);

        // The door stays open until the finding is recorded, as at the box: a door that closed first would end the step.
        var (_, doors) = await app.StartBridgeAsync(key, new SimulatedLockOptions { OpenDelay = TimeSpan.FromMilliseconds(30), AutoCloseAfter = null });
        Assert.Null(await Runs.ResumeAsync(id.Value, Supervisor));
        Assert.Null(await Runs.OpenNextAsync(id.Value, Supervisor, cancellationToken: TestContext.Current.CancellationToken));
        await WaitForAsync(id.Value, i => i.Items[0].Status == InventoryItemStatus.Open, "the compartment opened after resuming");
        Assert.Null(await Runs.RecordAsync(id.Value, (await Runs.GetAsync(id.Value))!.Inventory.Items[0].Id, InventoryFinding.Present, null, Supervisor));
        doors.CloseDoor(compartment.Label);
        await WaitForAsync(id.Value, i => i.Status == InventoryStatus.Finished, "the inventory finished once the door closed");
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "inventory.paused" && a.Outcome == "offline"));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "inventory.resumed"));
        }
    }

    [Fact]
    public async Task Inventory_DoorClosesWhileTheFindingIsSaved_TheFindingIsKept_AndTheStepIsDone()
    {
        var (id, item, _) = await OpenOneDoorAsync("30-01");

        // The box's closed door lands between the finding's read and its save (held back by a row lock until then).
        var record = await WhileTheItemIsChangedAsync(item, """UPDATE inventory_items SET "DoorClosedAt" = now() WHERE "Id" = {0}""",
            () => Runs.RecordAsync(id, item, InventoryFinding.Present, null, Supervisor, TestContext.Current.CancellationToken));

        Assert.Null(record);
        var done = (await Runs.GetAsync(id))!.Inventory;
        Assert.Equal((InventoryItemStatus.Done, InventoryFinding.Present, InventoryStatus.Finished),
            (done.Items.Single().Status, done.Items.Single().Finding, done.Status));
    }

    [Fact]
    public async Task Inventory_FindingSavedWhileTheBoxReportsTheDoorClosed_TheClosedDoorIsKept_AndTheStepIsDone()
    {
        var (id, item, doors) = await OpenOneDoorAsync("30-02");

        // The supervisor's finding lands between the door report's read and its save.
        await WhileTheItemIsChangedAsync(item,
            """UPDATE inventory_items SET "Finding" = 'Present', "CheckedAt" = now(), "CheckedBy" = 'staff:teamleitung@demo.local' WHERE "Id" = {0}""",
            () =>
            {
                doors.CloseDoor("30-02");
                return Task.FromResult(true);
            });

        await WaitForAsync(id, i => i.Status == InventoryStatus.Finished, "the closed door counted after the finding");
        var done = (await Runs.GetAsync(id))!.Inventory.Items.Single();
        Assert.Equal((InventoryItemStatus.Done, InventoryFinding.Present), (done.Status, done.Finding));
        Assert.NotNull(done.DoorClosedAt);
    }

    /// <summary>An inventory of one occupied compartment of DLZ-1 whose door is open and stays open until closed.</summary>
    private async Task<(Guid InventoryId, Guid ItemId, SimulatedLockDriver Doors)> OpenOneDoorAsync(string label)
    {
        await app.StartOpenBoxAsync();
        var (_, doors) = await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1,
            new SimulatedLockOptions { OpenDelay = TimeSpan.FromMilliseconds(30), AutoCloseAfter = null });
        var compartment = await app.CompartmentAsync("DLZ-1", label);
        await using (var db = await app.NewDbContextAsync())
        {
            // Module 30 is left alone by the other tests; only this compartment of it is occupied.
            await db.Compartments.Where(c => c.BoxId == compartment.BoxId && c.Module == compartment.Module)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, c => c.Id == compartment.Id ? CompartmentState.Occupied : CompartmentState.Free));
        }
        var (id, refusal) = await Runs.StartAsync(compartment.BoxId, compartment.Module, Supervisor);
        Assert.Null(refusal);
        Assert.Null(await Runs.OpenNextAsync(id!.Value, Supervisor, cancellationToken: TestContext.Current.CancellationToken));
        await WaitForAsync(id.Value, i => i.Items.Single().Status == InventoryItemStatus.Open, $"{label} is open");
        return (id.Value, (await Runs.GetAsync(id.Value))!.Inventory.Items.Single().Id, doors);
    }

    /// <summary>
    /// Changes the item in a transaction of its own, starts <paramref name="step"/>, and commits once the step's save waits
    /// for that transaction's row lock: the step read the item before the change and saves after it.
    /// </summary>
    private async Task<T> WhileTheItemIsChangedAsync<T>(Guid itemId, string change, Func<Task<T>> step)
    {
        await using var other = await app.NewDbContextAsync();
        await using var transaction = await other.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, await other.Database.ExecuteSqlRawAsync(change, [itemId], TestContext.Current.CancellationToken));
        var running = step();
        await WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            return await db.Database.SqlQueryRaw<int>(
                "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync() > 0;
        }, "the step's save waits for the other change");
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        return await running;
    }

    private Task WaitForAsync(Guid inventoryId, Func<Inventory, bool> condition, string what) =>
        WaitUntilAsync(async () => await Runs.GetAsync(inventoryId) is { } snapshot && condition(snapshot.Inventory), what);
}
