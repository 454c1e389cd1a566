using BackOffice.Application.Abstractions;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Application.DestructionBin;
using BackOffice.Application.Messaging;
using BackOffice.Application.Overdue;
using BackOffice.Bridge;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>Reminders, overdue documents, retrieval to the counter, service openings and the old-ID bin, over the real hub.</summary>
public class OverdueAndBinTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>, IAsyncLifetime
{
    private const string Clerk = "sachbearbeitung@demo.local";
    private const string Supervisor = "teamleitung@demo.local";
    private BridgeClient _bridge = null!;
    private SimulatedLockDriver _lock = null!;

    public async ValueTask InitializeAsync()
    {
        (_bridge, _lock) = await app.StartOpenBoxAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Retrieval_OpensTheCompartment_AndWhenTheDoorCloses_TheDocumentIsBackAtTheCounter()
    {
        var ready = await ReadyDocuments.CreateAsync(app, "T22000129", "R");
        var compartment = await app.CompartmentAsync("DLZ-1", ready.Label);
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();

        var start = await app.Services.GetRequiredService<DocumentRetrieval>().StartAsync(compartment.Id, "staff:" + Clerk);

        Assert.True(start.Started, start.Refusal?.ToString());
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.BackAtCounter, "back at the counter");
        var document = await ReadyDocuments.GetAsync(app, ready.Id);
        Assert.Null(document.PinHash);
        Assert.NotNull(document.ReturnedToCounterAt);
        Assert.Equal(CompartmentState.Free, (await app.CompartmentAsync("DLZ-1", ready.Label)).State);
        Assert.Equal(2, _lock.OpenCount(ready.Label));
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Task.FromResult(sender.Messages.Count(m => m.Recipient == ready.Phone) == 2), "the citizen is told");
        Assert.Contains("am Schalter", sender.Messages.First(m => m.Recipient == ready.Phone).Text, StringComparison.Ordinal);
        await using var db = await app.NewDbContextAsync();
        var retrieved = await db.DocumentEvents.SingleAsync(e => e.DocumentId == ready.Id && e.Kind == DocumentEventKind.Retrieved);
        Assert.Equal("staff:" + Clerk, retrieved.Actor);
        Assert.Equal(ready.Label, retrieved.CompartmentLabel);
        // The box no longer releases it: the PIN is void.
        var pickup = await _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, "T22000129", null), TestContext.Current.CancellationToken);
        Assert.False(pickup.Granted);
    }

    [Fact]
    public async Task Retrieval_WhenTheDoorJams_LeavesTheDocumentReadyForPickup()
    {
        var ready = await ReadyDocuments.CreateAsync(app, "T22000129", "R");
        var compartment = await app.CompartmentAsync("DLZ-1", ready.Label);
        _lock.Jam(ready.Label);
        try
        {
            var start = await app.Services.GetRequiredService<DocumentRetrieval>().StartAsync(compartment.Id, "staff:" + Clerk);
            Assert.True(start.Started, start.Refusal?.ToString());
            var command = await app.Commands.WaitForOutcomeAsync(start.CommandId!.Value, TestContext.Current.CancellationToken);
            Assert.Equal(CommandStatus.Failed, command.Status);
            await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.ReadyForPickup, "ready again");
            Assert.Equal(CompartmentState.Occupied, (await app.CompartmentAsync("DLZ-1", ready.Label)).State);
        }
        finally
        {
            _lock.Unjam(ready.Label);
        }
    }

    [Fact]
    public async Task Reminder_GoesOutOnceBeforeTheDeadline_AndAfterItTheDocumentIsListedOverdue()
    {
        var ready = await ReadyDocuments.CreateAsync(app, "T22000129", "R");
        var deadline = (await ReadyDocuments.GetAsync(app, ready.Id)).PickupDeadline!.Value;
        var reminders = app.Services.GetRequiredService<PickupReminders>();
        var overdue = app.Services.GetRequiredService<OverdueDocuments>();
        Assert.DoesNotContain(await overdue.ListAsync(), d => d.DocumentId == ready.Id);

        // Two days before the deadline, at noon in Düsseldorf.
        MoveClockTo(deadline.AddDays(-2));
        await reminders.SendDueAsync(TestContext.Current.CancellationToken);
        await reminders.SendDueAsync(TestContext.Current.CancellationToken);

        await using (var db = await app.NewDbContextAsync())
        {
            Assert.Equal(1, await db.OutgoingSms.CountAsync(m => m.DocumentId == ready.Id && m.Purpose == SmsPurpose.PickupReminder));
            Assert.Equal(1, await db.DocumentEvents.CountAsync(e => e.DocumentId == ready.Id && e.Kind == DocumentEventKind.ReminderSent));
        }
        Assert.DoesNotContain(await overdue.ListAsync(), d => d.DocumentId == ready.Id);

        MoveClockTo(deadline.AddDays(1));
        var listed = Assert.Single(await overdue.ListAsync(), d => d.DocumentId == ready.Id);
        Assert.Equal(ready.Label, listed.CompartmentLabel);
        Assert.Equal(1, listed.DaysOverdue);
        Assert.DoesNotContain(ready.Id.ToString(), listed.MaskedNumber, StringComparison.Ordinal);
        await _bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ServiceOpening_NeedsAReason_WhichIsStoredWithTheCommand()
    {
        var compartment = await app.CompartmentAsync("DLZ-1", "31-20");

        var without = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, "staff:" + Supervisor, reason: "  ");
        var with = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, "staff:" + Supervisor, reason: "Tür prüfen");

        Assert.Equal(UnlockRefusal.ReasonRequired, without.Refusal);
        Assert.True(with.Accepted);
        var command = await app.Commands.WaitForOutcomeAsync(with.CommandId!.Value, TestContext.Current.CancellationToken);
        Assert.Equal(CommandStatus.Opened, command.Status);
        Assert.Equal("Tür prüfen", command.Reason);
    }

    [Fact]
    public async Task StaffOpenings_ReportSentThenTheBoxsAnswer_OrRefuseBeforeSending()
    {
        var openings = app.Services.GetRequiredService<CompartmentOpenings>();
        var open = await app.CompartmentAsync("DLZ-1", "31-19");
        var offline = await app.CompartmentAsync("HOL-1", "01-01");
        var sent = 0;

        var opened = await openings.ServiceOpenAsync(open.Id, "Tür prüfen", "staff:" + Supervisor, () => sent++, TestContext.Current.CancellationToken);
        var neverOnline = await openings.ServiceOpenAsync(offline.Id, "Probe", "staff:" + Supervisor, () => sent++, TestContext.Current.CancellationToken);
        var nothingInside = await openings.RetrieveAsync(open.Id, "staff:" + Clerk, () => sent++, TestContext.Current.CancellationToken);

        Assert.True(opened.Opened);
        // The answer came as the in-process signal; nothing waits any more.
        Assert.Equal(0, app.Services.GetRequiredService<CommandOutcomes>().Waiting);
        Assert.Equal(1, sent);
        Assert.Equal(new Refusal(RefusalCode.BoxNeverOnline, "HOL-1"), neverOnline.Refusal);
        Assert.Equal("Die Ausgabebox HOL-1 hat sich noch nie gemeldet. Das Fach kann nicht geöffnet werden.", app.Services.Words(neverOnline.Refusal));
        Assert.Equal("In Fach 31-19 liegen keine abholbereiten Dokumente.", app.Services.Words(nothingInside.Refusal));
        Assert.Null(neverOnline.Command);
    }

    [Fact]
    public async Task BinEmptying_NeedsASecondPersonWithTheirPassword_AndRecordsTheReportedDeposits()
    {
        var bin = app.Services.GetRequiredService<OldDocumentBin>();
        var box = (await bin.StatusAsync()).Single(b => b.BoxCode == "DLZ-1");
        _bridge.ReportOldDocument("T22000129");
        _bridge.ReportOldDocument(null);
        await WaitUntilAsync(async () => (await bin.StatusAsync()).Single(b => b.BoxCode == "DLZ-1").DepositsSinceEmptying == box.DepositsSinceEmptying + 2,
            "two deposits counted");
        var reported = box.DepositsSinceEmptying + 2;

        var alone = await bin.RecordEmptyingAsync(new BinEmptyingInput(box.BoxId, reported, null, new WitnessPassword(Clerk, DemoStaff.Password)), Clerk);
        var wrongPassword = await bin.RecordEmptyingAsync(new BinEmptyingInput(box.BoxId, reported, null, new WitnessPassword(Supervisor, "falsch")), Clerk);
        var differenceWithoutNote = await bin.RecordEmptyingAsync(new BinEmptyingInput(box.BoxId, reported + 1, null, new WitnessPassword(Supervisor, DemoStaff.Password)), Clerk);
        var done = await bin.RecordEmptyingAsync(new BinEmptyingInput(box.BoxId, reported, null, new WitnessPassword(Supervisor, DemoStaff.Password)), Clerk);

        Assert.Contains("Vier-Augen", app.Services.Words(alone), StringComparison.Ordinal);
        Assert.Contains("Passwort", app.Services.Words(wrongPassword), StringComparison.Ordinal);
        Assert.Contains("Bemerkung", app.Services.Words(differenceWithoutNote), StringComparison.Ordinal);
        Assert.Null(done);
        var after = (await bin.StatusAsync()).Single(b => b.BoxCode == "DLZ-1");
        Assert.Equal(0, after.DepositsSinceEmptying);
        Assert.Equal(reported, after.LastEmptying!.ReportedDeposits);
        Assert.Equal(Supervisor, after.LastEmptying.WitnessedBy);
        var log = await bin.EmptyingsAsync(box.BoxId, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Single(log);
        await using var db = await app.NewDbContextAsync();
        Assert.Contains(await db.AuditEntries.Select(a => a.Action).ToListAsync(), a => a == "bin.emptying.witness_refused");
    }

    [Fact]
    public async Task Reconciliation_ListsPickupsWhoseOldIdNeverReachedTheSlot()
    {
        // A period of its own: the class's clock stands still, so the other tests' deposits share its timestamps.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await _bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);
        var from = app.Clock.GetUtcNow();
        var withDeposit = await ReadyDocuments.CreateAsync(app, "T11000120", "R");
        var without = await ReadyDocuments.CreateAsync(app, "T33000128", "R");
        _bridge.ReportOldDocument("T11000120");
        foreach (var (ready, old) in new[] { (withDeposit, "T11000120"), (without, "T33000128") })
        {
            var response = await _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, old, null), TestContext.Current.CancellationToken);
            Assert.True(response.Granted, response.Message);
            await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.PickedUp, "handed over");
        }
        await WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            return await db.OldDocumentDeposits.AnyAsync(d => d.DocumentId == withDeposit.Id);
        }, "the deposit is matched");

        var box = (await app.Services.GetRequiredService<OldDocumentBin>().StatusAsync()).Single(b => b.BoxCode == "DLZ-1");
        var reconciliation = await app.Services.GetRequiredService<OldDocumentBin>().ReconcileAsync(box.BoxId, from, app.Clock.GetUtcNow().AddMinutes(1));

        Assert.Equal(2, reconciliation.PickupsWithOldDocument);
        Assert.Equal(1, reconciliation.MatchedDeposits);
        Assert.Equal([without.Id], Assert.Single(reconciliation.Missing).DocumentIds);
    }

    private void MoveClockTo(DateOnly day)
    {
        var noon = new DateTimeOffset(day.ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero);
        if (noon > app.Clock.GetUtcNow())
        {
            app.Clock.SetUtcNow(noon);
        }
    }
}
