using System.Net.Http.Json;
using System.Text;
using BackOffice.Application.DestructionBin;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Application.Pickup;
using BackOffice.Bridge;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>
/// Issue 21: one household per compartment, one SMS and one PIN for it, one pickup for all of its documents; the old ID
/// kept in the slot's escrow until the decision, the bin counting only what it keeps, and a reconciliation that tells
/// the truth. Over the real hub with the real bridge code and the lock simulator.
/// </summary>
public class HouseholdTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>, IAsyncLifetime
{
    private const string Clerk = "staff:sachbearbeitung@demo.local";
    private const string ApiKey = "development-only-registration-api-key-0001";
    private static int _sequence;
    private BridgeClient _bridge = null!;
    private SimulatedLockDriver _lock = null!;

    public async ValueTask InitializeAsync()
    {
        (_bridge, _lock) = await app.StartOpenBoxAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private DocumentLoading Loading => app.Services.GetRequiredService<DocumentLoading>();

    [Fact]
    public async Task Loading_DocumentsOfTwoHouseholds_IsRefusedWhicheverWayTheyCameIn()
    {
        // The same number written three ways, from the form, the API and the CSV import, is one household.
        var phone = NextPhone();
        var other = NextPhone();
        var byForm = await RegisterAsync("Personalausweis", "Erika Muster", "12.08.1983", "0" + phone[3..]);
        var byApi = await RegisterByApiAsync("Passport", "Max Muster", "1980-04-01", phone);
        var (byImport, otherByImport) = await RegisterByImportAsync(("Personalausweis", "Anna Fremd", "02.02.1990", other), ("Reisepass", "Jan Muster", "03.03.1985", "0049" + phone[3..]));

        var sameHousehold = await Loading.ProposeAsync([byForm, byApi, otherByImport]);
        var mixedProposal = await Loading.ProposeAsync([byForm, byImport]);
        var free = await Loading.ProposeAsync([byForm]);
        var starts = new[]
        {
            await Loading.StartAsync([byForm, byImport], free!.CompartmentId, Clerk),
            await Loading.StartAsync([byApi, byImport], free.CompartmentId, Clerk),
            await Loading.StartAsync([byImport, otherByImport], free.CompartmentId, Clerk),
        };

        Assert.NotNull(sameHousehold);
        Assert.Null(mixedProposal);
        Assert.All(starts, start =>
        {
            Assert.False(start.Started);
            Assert.Contains("anderen Haushalt", app.Services.Words(start.Refusal), StringComparison.Ordinal);
            Assert.Contains("zweiten Fach", app.Services.Words(start.Refusal), StringComparison.Ordinal);
        });
        Assert.Equal(CompartmentState.Free, (await CompartmentAsync(free.CompartmentId)).State);
        foreach (var id in new[] { byForm, byApi, byImport, otherByImport })
        {
            Assert.Equal(DocumentState.Arrived, (await DocumentAsync(id)).State);
        }
    }

    [Fact]
    public async Task Household_OneSmsWithOnePinNamesEachDocument_AndAnyHoldersBirthDateHandsOverAllAndFreesTheCompartment()
    {
        var phone = NextPhone();
        var erika = await RegisterAsync("Personalausweis", "Erika Mustermann", "12.08.1983", phone);
        var max = await RegisterAsync("Reisepass", "Max Mustermann", "01.04.1980", phone);
        var lena = await RegisterAsync("Kinderreisepass", "Lena Mustermann", "05.05.2016", phone);

        var (label, messages) = await LoadAsync([erika, max, lena], phone);

        var sms = Assert.Single(messages);
        Assert.Contains("(Personalausweis Erika, Reisepass Max, Kinderreisepass Lena)", sms, StringComparison.Ordinal);
        Assert.Single(ReadyDocuments.Pin().Matches(sms));
        var pin = ReadyDocuments.Pin().Match(sms).Groups[1].Value;

        // The child's birth date, typed by a parent: all three leave together.
        var response = await RequestAsync(phone, pin, birthDate: "2016-05-05");

        Assert.True(response.Granted, response.Message);
        Assert.Equal([label], response.Compartments);
        foreach (var id in new[] { erika, max, lena })
        {
            await WaitUntilAsync(async () => (await DocumentAsync(id)).State == DocumentState.PickedUp, "each document is handed over");
        }
        Assert.Equal(CompartmentState.Free, (await app.CompartmentAsync("DLZ-1", label)).State);
        Assert.Equal(2, _lock.OpenCount(label)); // once to load, once for the one pickup
    }

    [Fact]
    public async Task Household_BlockingOneDocument_KeepsTheWholeCompartmentClosed_AndTheOthersSayWhy()
    {
        var phone = NextPhone();
        var erika = await RegisterAsync("Personalausweis", "Erika Mustermann", "12.08.1983", phone);
        var max = await RegisterAsync("Reisepass", "Max Mustermann", "01.04.1980", phone);
        var (label, messages) = await LoadAsync([erika, max], phone);
        var pin = ReadyDocuments.Pin().Match(Assert.Single(messages)).Groups[1].Value;

        Assert.Null(await app.Services.GetRequiredService<DocumentActions>().BlockAsync(max, "als verloren gemeldet", Clerk));
        var response = await RequestAsync(phone, pin, birthDate: "1983-08-12");

        Assert.False(response.Granted);
        Assert.Equal(PickupService.Refusal, response.Message);
        Assert.Equal(1, _lock.OpenCount(label));
        Assert.Equal(DocumentState.ReadyForPickup, (await DocumentAsync(erika)).State);
        await using var db = await app.NewDbContextAsync();
        var notes = await db.DocumentEvents.Where(e => e.DocumentId == erika).Select(e => e.Note).ToListAsync(Token);
        Assert.Contains(notes, n => n.Contains("bleibt geschlossen", StringComparison.Ordinal) && n.Contains("Reisepass Max", StringComparison.Ordinal)
            && n.Contains("als verloren gemeldet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Household_ReissuedPin_OneSmsForTheCompartment_TheNewPinOpensItForAll()
    {
        var phone = NextPhone();
        var erika = await RegisterAsync("Personalausweis", "Erika Mustermann", "12.08.1983", phone);
        var max = await RegisterAsync("Reisepass", "Max Mustermann", "01.04.1980", phone);
        var (_, first) = await LoadAsync([erika, max], phone);
        var oldPin = ReadyDocuments.Pin().Match(Assert.Single(first)).Groups[1].Value;

        Assert.Null(await app.Services.GetRequiredService<DocumentActions>().ReissuePinAsync(max, IdentityProof.Passport, Clerk));
        var messages = await SentAsync(phone, 2);
        var reissued = Assert.Single(messages, m => m.StartsWith("Neue PIN", StringComparison.Ordinal));
        var newPin = ReadyDocuments.Pin().Match(reissued).Groups[1].Value;
        var withOld = await RequestAsync(phone, oldPin, birthDate: "1983-08-12");
        var withNew = await RequestAsync(phone, newPin, birthDate: "1983-08-12");

        Assert.Contains("(Personalausweis Erika, Reisepass Max)", reissued, StringComparison.Ordinal);
        Assert.False(withOld.Granted);
        Assert.True(withNew.Granted, withNew.Message);
        await WaitUntilAsync(async () => (await DocumentAsync(erika)).State == DocumentState.PickedUp
            && (await DocumentAsync(max)).State == DocumentState.PickedUp, "both handed over");
    }

    [Fact]
    public async Task Household_WrongAttemptsLockEveryDocumentOfTheCompartment_AndLiftingItForOneLiftsItForAll()
    {
        var phone = NextPhone();
        var erika = await RegisterAsync("Personalausweis", "Erika Mustermann", "12.08.1983", phone);
        var max = await RegisterAsync("Reisepass", "Max Mustermann", "01.04.1980", phone);
        var (_, messages) = await LoadAsync([erika, max], phone);
        var pin = ReadyDocuments.Pin().Match(Assert.Single(messages)).Groups[1].Value;
        for (var i = 0; i < 5; i++)
        {
            await RequestAsync(phone, pin == "999999" ? "111111" : "999999", birthDate: "1983-08-12");
        }

        Assert.NotNull((await DocumentAsync(erika)).PickupLockedAt);
        Assert.NotNull((await DocumentAsync(max)).PickupLockedAt);
        Assert.Null(await app.Services.GetRequiredService<DocumentActions>().LiftLockAsync(erika, IdentityProof.IdCard, "Person am Schalter, Ausweis geprüft", Clerk));
        Assert.Null((await DocumentAsync(max)).PickupLockedAt);
        Assert.True((await RequestAsync(phone, pin, birthDate: "1980-04-01")).Granted);
    }

    [Fact]
    public async Task Household_OneReminderAndOneReturnedToCounterSms_ForTheCompartment()
    {
        var phone = NextPhone();
        var erika = await RegisterAsync("Personalausweis", "Erika Mustermann", "12.08.1983", phone);
        var max = await RegisterAsync("Reisepass", "Max Mustermann", "01.04.1980", phone);
        var (label, _) = await LoadAsync([erika, max], phone);
        var deadline = (await DocumentAsync(erika)).PickupDeadline!.Value;

        // Two days before the deadline, at noon in Düsseldorf.
        var noon = new DateTimeOffset(deadline.AddDays(-2).ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero);
        if (noon > app.Clock.GetUtcNow())
        {
            app.Clock.SetUtcNow(noon);
        }
        await _bridge.SendHeartbeatAsync(Token);
        await app.Services.GetRequiredService<BackOffice.Application.Overdue.PickupReminders>().SendDueAsync(Token);
        var compartment = await app.CompartmentAsync("DLZ-1", label);
        var retrieval = await app.Services.GetRequiredService<BackOffice.Application.Overdue.DocumentRetrieval>().StartAsync(compartment.Id, Clerk);
        Assert.True(retrieval.Started, retrieval.Refusal?.ToString());
        await WaitUntilAsync(async () => (await DocumentAsync(erika)).State == DocumentState.BackAtCounter
            && (await DocumentAsync(max)).State == DocumentState.BackAtCounter, "both back at the counter");

        var messages = await SentAsync(phone, 3);
        var reminder = Assert.Single(messages, m => m.StartsWith("Erinnerung", StringComparison.Ordinal));
        var returned = Assert.Single(messages, m => m.Contains("am Schalter für Sie bereit. Bitte", StringComparison.Ordinal));
        Assert.Contains("(Personalausweis Erika, Reisepass Max) liegen noch", reminder, StringComparison.Ordinal);
        Assert.Contains("(Personalausweis Erika, Reisepass Max) wurden aus der Ausgabebox", returned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithoutOldIdOrBirthDate_IsRefusedAsIncomplete_AndDoesNotCountTowardsTheLock()
    {
        var ready = await ReadyDocuments.CreateAsync(app, "T44000013", "H");

        var response = await _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, null, null), Token);

        Assert.False(response.Granted);
        Assert.Equal(PickupDesk.RequestFailedMessage, response.Message);
        Assert.Equal(0, (await DocumentAsync(ready.Id)).FailedPickupAttempts);
    }

    [Fact]
    public async Task OldIdInARefusedPickup_IsHandedBack_AndTheBinDoesNotCountIt()
    {
        var ready = await ReadyDocuments.CreateAsync(app, "T44000021", "H");
        var before = await DepositsSinceEmptyingAsync();

        var (response, report) = await _bridge.RequestPickupWithOldDocumentAsync(
            new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin == "000000" ? "111111" : "000000", "T44000021", null), "T44000021", Token);

        Assert.False(response.Granted);
        Assert.Equal(BridgeProtocol.Dispositions.HandedBack, report.Disposition);
        var row = await DepositRowAsync(report.EventId);
        Assert.Equal(OldDocumentDisposition.HandedBack, row.Disposition);
        Assert.Null(row.DocumentId);
        Assert.Equal(before, await DepositsSinceEmptyingAsync());
    }

    [Fact]
    public async Task HandedBackReport_FromAnyBridge_IsNotCounted()
    {
        var before = await DepositsSinceEmptyingAsync();

        var report = _bridge.ReportOldDocument("T44000039", BridgeProtocol.Dispositions.HandedBack, Guid.NewGuid());

        await DepositRowAsync(report.EventId);
        Assert.Equal(before, await DepositsSinceEmptyingAsync());
    }

    [Fact]
    public async Task OldIdInAGrantedPickup_IsDepositedAndMatched_EvenWhenTheReaderCouldNotReadIt()
    {
        var read = await ReadyDocuments.CreateAsync(app, "T44000047", "H");
        var unread = await ReadyDocuments.CreateAsync(app, "T44000055", "H");
        var before = await DepositsSinceEmptyingAsync();

        var (first, readReport) = await _bridge.RequestPickupWithOldDocumentAsync(
            new PickupRequest(Guid.NewGuid(), read.Phone, read.Pin, "T44000047", null), "T44000047", Token);
        var (second, unreadReport) = await _bridge.RequestPickupWithOldDocumentAsync(
            new PickupRequest(Guid.NewGuid(), unread.Phone, unread.Pin, null, "1983-08-12"), null, Token);

        Assert.True(first.Granted, first.Message);
        Assert.True(second.Granted, second.Message);
        Assert.Equal(read.Id, (await DepositRowAsync(readReport.EventId)).DocumentId);
        var unreadRow = await DepositRowAsync(unreadReport.EventId);
        Assert.Equal((OldDocumentDisposition.Deposited, unread.Id), (unreadRow.Disposition, unreadRow.DocumentId));
        Assert.NotNull(unreadRow.PickupRequestId);
        Assert.Equal(before + 2, await DepositsSinceEmptyingAsync());
    }

    [Fact]
    public async Task Reconciliation_CountsPickupsByTheFactorUsed_BirthDatePickupsAreNotMissing_AndALineCanBeMarkedFollowedUp()
    {
        // A period of its own: the class's clock stands still, so the other tests' pickups share its timestamps.
        app.Clock.Advance(TimeSpan.FromHours(3));
        await _bridge.SendHeartbeatAsync(Token);
        var from = app.Clock.GetUtcNow();
        var byBirthDate = await ReadyDocuments.CreateAsync(app, "T44000063", "H");
        var escrowed = await ReadyDocuments.CreateAsync(app, "T44000071", "H");
        var neverDeposited = await ReadyDocuments.CreateAsync(app, "T44000089", "H");
        Assert.True((await RequestAsync(byBirthDate.Phone, byBirthDate.Pin, birthDate: "1983-08-12")).Granted);
        var (granted, deposit) = await _bridge.RequestPickupWithOldDocumentAsync(
            new PickupRequest(Guid.NewGuid(), escrowed.Phone, escrowed.Pin, "T44000071", null), "T44000071", Token);
        Assert.True(granted.Granted);
        Assert.True((await RequestAsync(neverDeposited.Phone, neverDeposited.Pin, oldNumber: "T44000089")).Granted);
        var stray = _bridge.ReportOldDocument("T99999997");
        await DepositRowAsync(deposit.EventId);
        await DepositRowAsync(stray.EventId);
        var bin = app.Services.GetRequiredService<OldDocumentBin>();
        var boxId = (await bin.StatusAsync()).Single(b => b.BoxCode == "DLZ-1").BoxId;
        var to = app.Clock.GetUtcNow().AddMinutes(1);

        var reconciliation = await bin.ReconcileAsync(boxId, from, to);

        Assert.Equal(2, reconciliation.PickupsWithOldDocument);
        Assert.Equal(1, reconciliation.PickupsByBirthDate);
        Assert.Equal((2, 1, 1), (reconciliation.Deposits, reconciliation.MatchedDeposits, reconciliation.UnmatchedDeposits));
        var missing = Assert.Single(reconciliation.Missing);
        Assert.Equal([neverDeposited.Id], missing.DocumentIds);
        Assert.Equal(stray.EventId, Assert.Single(reconciliation.Unmatched).EventId);
        Assert.Null(missing.FollowUp);

        Assert.NotNull(await bin.MarkFollowedUpAsync(boxId, BinFollowUpKind.PickupWithoutDeposit, missing.RequestId, "  ", Clerk));
        Assert.Null(await bin.MarkFollowedUpAsync(boxId, BinFollowUpKind.PickupWithoutDeposit, missing.RequestId, "Bürgerin angerufen: Ausweis liegt im Schalterfach", Clerk));
        Assert.NotNull(await bin.MarkFollowedUpAsync(boxId, BinFollowUpKind.PickupWithoutDeposit, missing.RequestId, "noch einmal", Clerk));
        var after = await bin.ReconcileAsync(boxId, from, to);
        var mark = Assert.Single(after.Missing).FollowUp;
        Assert.Equal((Clerk, "Bürgerin angerufen: Ausweis liegt im Schalterfach"), (mark!.By, mark.Note));
        await using var db = await app.NewDbContextAsync();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "bin.followed_up" && a.Actor == Clerk, Token));
    }

    private async Task<(string Label, IReadOnlyList<string> Messages)> LoadAsync(IReadOnlyList<Guid> ids, string phone)
    {
        var proposal = await Loading.ProposeAsync([.. ids]);
        Assert.NotNull(proposal);
        var start = await Loading.StartAsync([.. ids], proposal.CompartmentId, Clerk);
        Assert.True(start.Started, start.Refusal?.ToString());
        foreach (var id in ids)
        {
            await WaitUntilAsync(async () => (await DocumentAsync(id)).State == DocumentState.ReadyForPickup, "loaded");
        }
        return (proposal.Label, await SentAsync(phone, 1));
    }

    /// <summary>The SMS texts sent to <paramref name="phone"/>, oldest first, once at least <paramref name="count"/> are out (and no more follow).</summary>
    private async Task<IReadOnlyList<string>> SentAsync(string phone, int count)
    {
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(Token);
        await WaitUntilAsync(() => Task.FromResult(sender.Messages.Count(m => m.Recipient == phone) >= count), "the SMS is sent");
        // Anything else queued for this number would be out by now too.
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(Token);
        Assert.Equal(count, sender.Messages.Count(m => m.Recipient == phone));
        return [.. sender.Messages.Where(m => m.Recipient == phone).Select(m => m.Text)];
    }

    private Task<PickupResponse> RequestAsync(string phone, string pin, string? oldNumber = null, string? birthDate = null) =>
        _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), phone, pin, oldNumber, birthDate), Token);

    private async Task<int> DepositsSinceEmptyingAsync() =>
        (await app.Services.GetRequiredService<OldDocumentBin>().StatusAsync()).Single(b => b.BoxCode == "DLZ-1").DepositsSinceEmptying;

    private async Task<OldDocumentDeposit> DepositRowAsync(Guid eventId)
    {
        OldDocumentDeposit? row = null;
        await WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            row = await db.OldDocumentDeposits.AsNoTracking().FirstOrDefaultAsync(d => d.EventId == eventId);
            return row is not null;
        }, "the old ID's report is recorded");
        return row!;
    }

    private static string NextPhone() => $"+49172{5000000 + Interlocked.Increment(ref _sequence)}";

    private static string NextNumber() => $"H{Interlocked.Increment(ref _sequence) + 50000000:00000000}";

    private async Task<Guid> RegisterAsync(string type, string name, string birthDate, string phone)
    {
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = type, DocumentNumber = NextNumber(), HolderName = name, DateOfBirth = birthDate, MobileNumber = phone,
            OldDocumentNumbers = [], ApplicationReference = $"HH-{Guid.NewGuid():N}"[..30], BoxCode = "DLZ-1",
        }, Clerk);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.DocumentId!.Value;
    }

    private async Task<Guid> RegisterByApiAsync(string type, string name, string birthDate, string phone)
    {
        using var client = app.CreateBrowserClient(app.ServerUrl);
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var reference = $"HH-API-{Guid.NewGuid():N}"[..30];
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            type, documentNumber = NextNumber(), holderName = name, dateOfBirth = birthDate, mobileNumber = phone,
            applicationReference = reference, boxCode = "DLZ-1",
        }, Token);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Token));
        await using var db = await app.NewDbContextAsync();
        return await db.Documents.Where(d => d.ApplicationReference == reference).Select(d => d.Id).SingleAsync(Token);
    }

    private async Task<(Guid First, Guid Second)> RegisterByImportAsync(
        (string Type, string Name, string BirthDate, string Phone) first, (string Type, string Name, string BirthDate, string Phone) second)
    {
        var references = new[] { $"HH-CSV-{Guid.NewGuid():N}"[..30], $"HH-CSV-{Guid.NewGuid():N}"[..30] };
        var csv = new StringBuilder("Antragsnummer;Dokumentart;Dokumentnummer;Name;Geburtsdatum;Mobilnummer;AlteDokumentnummern;Ausgabebox;Barrierefrei\n");
        foreach (var (row, reference) in new[] { first, second }.Zip(references))
        {
            csv.Append($"{reference};{row.Type};{NextNumber()};{row.Name};{row.BirthDate};{row.Phone};;DLZ-1;nein\n");
        }
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        var report = await app.Services.GetRequiredService<DocumentRegistration>().ImportCsvAsync(stream, Clerk);
        Assert.Equal(2, report.Imported);
        await using var db = await app.NewDbContextAsync();
        var ids = await db.Documents.Where(d => references.Contains(d.ApplicationReference)).ToDictionaryAsync(d => d.ApplicationReference, d => d.Id, Token);
        return (ids[references[0]], ids[references[1]]);
    }

    private async Task<Document> DocumentAsync(Guid id) => await ReadyDocuments.GetAsync(app, id);

    private async Task<Compartment> CompartmentAsync(Guid id)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.Compartments.AsNoTracking().SingleAsync(c => c.Id == id);
    }
}
