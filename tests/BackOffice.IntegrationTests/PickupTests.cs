using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Application.Pickup;
using BackOffice.Bridge;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>Pickup round trips over the real hub with the real bridge code and the lock simulator.</summary>
public class PickupTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>, IAsyncLifetime
{
    private const string OldNumber = "T22000129";
    private BridgeClient _bridge = null!;
    private SimulatedLockDriver _lock = null!;

    public async ValueTask InitializeAsync()
    {
        // The clock stands still: without this the box's per-minute request limit would count every test's requests
        // together, and whether a test hit it would depend on the order the tests run in.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        (_bridge, _lock) = await app.StartOpenBoxAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Pickup_WithTheOldDocument_OpensTheCompartmentAndHandsOverWhenTheDoorCloses()
    {
        var ready = await ReadyDocumentAsync();

        var response = await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber);

        Assert.True(response.Granted, response.Message);
        Assert.Equal([ready.Label], response.Compartments);
        await WaitUntilAsync(async () => (await DocumentAsync(ready.Id)).State == DocumentState.PickedUp, "the document is handed over");
        Assert.Equal(2, _lock.OpenCount(ready.Label)); // once to load, once to pick up
        Assert.Equal(CompartmentState.Free, (await app.CompartmentAsync("DLZ-1", ready.Label)).State);
    }

    [Fact]
    public async Task Pickup_WithTheBirthDate_IsGranted()
    {
        var ready = await ReadyDocumentAsync();

        var response = await RequestAsync("0" + ready.Phone[3..], ready.Pin, birthDate: "1983-08-12");

        Assert.True(response.Granted, response.Message);
    }

    [Fact]
    public async Task WrongFactors_GetOneGenericAnswer_AreCounted_AndLockTheDocumentAfterFive()
    {
        var ready = await ReadyDocumentAsync();
        var wrongPin = ready.Pin == "000000" ? "111111" : "000000";

        var answers = new[]
        {
            await RequestAsync(ready.Phone, wrongPin, oldNumber: OldNumber),
            await RequestAsync(ready.Phone, ready.Pin, birthDate: "1999-01-01"),
            await RequestAsync(ready.Phone, ready.Pin, oldNumber: "C00000000"),
            await RequestAsync("+491709999999", ready.Pin, oldNumber: OldNumber),
            await RequestAsync(ready.Phone, wrongPin, birthDate: "1983-08-12"),
            await RequestAsync(ready.Phone, wrongPin, birthDate: "1983-08-12"),
        };

        Assert.All(answers, a => Assert.False(a.Granted));
        Assert.Single(answers.Select(a => a.Message).Distinct());
        Assert.NotNull((await DocumentAsync(ready.Id)).PickupLockedAt);
        var afterLock = await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber);
        Assert.False(afterLock.Granted);
        Assert.Equal(PickupService.Refusal, afterLock.Message);
        Assert.Equal(1, _lock.OpenCount(ready.Label));
    }

    [Fact]
    public async Task Pickup_OutsideOpeningHours_IsRefused()
    {
        var ready = await ReadyDocumentAsync();
        await using (var db = await app.NewDbContextAsync())
        {
            await db.Boxes.Where(b => b.Code == "DLZ-1").ExecuteUpdateAsync(s => s.SetProperty(b => b.OpenAroundTheClock, false));
        }
        try
        {
            // Sunday 12:00 in Düsseldorf: closed.
            var now = app.Clock.GetUtcNow();
            var sunday = now.AddDays(((int)DayOfWeek.Sunday - (int)now.DayOfWeek + 7) % 7 + 7);
            app.Clock.SetUtcNow(new DateTimeOffset(sunday.Year, sunday.Month, sunday.Day, 11, 0, 0, TimeSpan.Zero));

            var response = await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber);

            Assert.False(response.Granted);
            Assert.Equal(PickupService.Closed, response.Message);
        }
        finally
        {
            await using var db = await app.NewDbContextAsync();
            await db.Boxes.Where(b => b.Code == "DLZ-1").ExecuteUpdateAsync(s => s.SetProperty(b => b.OpenAroundTheClock, true));
            await _bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task BlockedDocument_IsNotReleased()
    {
        var ready = await ReadyDocumentAsync();
        Assert.Null(await app.Services.GetRequiredService<DocumentActions>().BlockAsync(ready.Id, "als verloren gemeldet", "staff:test"));

        var response = await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber);

        Assert.False(response.Granted);
        Assert.Equal(PickupService.Refusal, response.Message);
        Assert.Equal(1, _lock.OpenCount(ready.Label));
    }

    [Fact]
    public async Task SameRequestTwice_GetsTheSameAnswerAndOpensOnce()
    {
        var ready = await ReadyDocumentAsync();
        var request = new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, OldNumber, null);

        var first = await _bridge.RequestPickupAsync(request, TestContext.Current.CancellationToken);
        var second = await _bridge.RequestPickupAsync(request, TestContext.Current.CancellationToken);

        Assert.True(first.Granted);
        Assert.Equal(first, second with { Compartments = first.Compartments });
        Assert.Equal(first.Compartments, second.Compartments);
        await WaitUntilAsync(async () => (await DocumentAsync(ready.Id)).State == DocumentState.PickedUp, "handed over");
        Assert.Equal(2, _lock.OpenCount(ready.Label));
    }

    [Fact]
    public async Task TwoRequestsAtOnceForOneDocument_OpenTheDoorOnce()
    {
        var ready = await ReadyDocumentAsync();

        var answers = await Task.WhenAll(
            Task.Run(() => RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber)),
            Task.Run(() => RequestAsync(ready.Phone, ready.Pin, birthDate: "1983-08-12")));

        Assert.Single(answers, a => a.Granted);
        await WaitUntilAsync(async () => (await DocumentAsync(ready.Id)).State == DocumentState.PickedUp, "handed over");
        Assert.Equal(2, _lock.OpenCount(ready.Label));
    }

    [Fact]
    public async Task ReissuedPin_WithoutAKnownIdentityProof_IsRefused_AndTheOldPinStillWorks()
    {
        var ready = await ReadyDocumentAsync();
        var actions = app.Services.GetRequiredService<DocumentActions>();
        string hashBefore;
        await using (var db = await app.NewDbContextAsync())
        {
            hashBefore = (await db.Documents.AsNoTracking().SingleAsync(d => d.Id == ready.Id)).PinHash!;
        }

        var error = await actions.ReissuePinAsync(ready.Id, (IdentityProof)99, "staff:test");

        Assert.Equal("Bitte angeben, wie die Identität geprüft wurde.", app.Services.Words(error));
        await using var check = await app.NewDbContextAsync();
        Assert.Equal(hashBefore, (await check.Documents.AsNoTracking().SingleAsync(d => d.Id == ready.Id)).PinHash);
        Assert.DoesNotContain(await check.AuditEntries.Where(a => a.Subject == $"document:{ready.Id}").Select(a => a.Action).ToListAsync(),
            a => a == "document.pin_reissued");
    }

    [Fact]
    public async Task ReissuedPin_OldOneIsRefused_NewOneOpens()
    {
        var ready = await ReadyDocumentAsync();
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        var before = sender.Messages.Count(m => m.Recipient == ready.Phone);

        var error = await app.Services.GetRequiredService<DocumentActions>().ReissuePinAsync(ready.Id, IdentityProof.IdCard, "staff:test");
        Assert.Null(error);
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Task.FromResult(sender.Messages.Count(m => m.Recipient == ready.Phone) > before), "the new PIN is sent");
        var newPin = ReadyDocuments.Pin().Match(sender.Messages.First(m => m.Recipient == ready.Phone).Text).Groups[1].Value;

        var withOld = await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber);
        var withNew = await RequestAsync(ready.Phone, newPin, oldNumber: OldNumber);

        Assert.True(newPin != ready.Pin, "A new PIN differs (a one-in-a-million collision aside).");
        Assert.False(withOld.Granted);
        Assert.True(withNew.Granted, withNew.Message);
        await using var db = await app.NewDbContextAsync();
        var reissued = await db.AuditEntries.SingleAsync(a => a.Subject == $"document:{ready.Id}" && a.Action == "document.pin_reissued");
        Assert.Equal("identity checked: IdCard", reissued.Details);
    }

    [Fact]
    public async Task LockedDocument_OpensAgainAfterTheClerkLiftsTheLock()
    {
        var ready = await ReadyDocumentAsync();
        for (var i = 0; i < 5; i++)
        {
            await RequestAsync(ready.Phone, "999999", oldNumber: OldNumber);
        }
        Assert.False((await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber)).Granted);

        Assert.Null(await app.Services.GetRequiredService<DocumentActions>().LiftLockAsync(ready.Id, IdentityProof.IdCard, "Person am Schalter, Ausweis geprüft", "staff:test"));

        Assert.True((await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber)).Granted);
    }

    [Fact]
    public async Task FailedAttempts_ShowOnTheDocumentsTimelineAndVorgangsauszug_WithoutWhatWasEntered()
    {
        var ready = await ReadyDocumentAsync();
        var wrongPin = ready.Pin == "000000" ? "111111" : "000000";

        await RequestAsync(ready.Phone, wrongPin, oldNumber: OldNumber);
        await RequestAsync(ready.Phone, ready.Pin, birthDate: "1999-01-01");

        var details = await app.Services.GetRequiredService<DocumentQueries>().GetAsync(ready.Id, TestContext.Current.CancellationToken);
        var refused = details!.Timeline.Where(l => l.Details?.StartsWith("Abholversuch an der Box abgelehnt", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(
            ["Abholversuch an der Box abgelehnt: PIN falsch (Fehlversuch 1 von 5).",
             "Abholversuch an der Box abgelehnt: Geburtsdatum bzw. alter Ausweis falsch (Fehlversuch 2 von 5)."],
            refused.Select(l => l.Details));
        Assert.All(refused, l => Assert.Equal("box:DLZ-1", l.Actor));
        Assert.Equal(2, details.FailedPickupAttempts);
        var text = string.Join("\n", details.Timeline.Select(l => l.Details));
        Assert.DoesNotContain(wrongPin, text, StringComparison.Ordinal);
        Assert.DoesNotContain("1999", text, StringComparison.Ordinal);
        await using var db = await app.NewDbContextAsync();
        Assert.Equal(2, await db.DocumentEvents.CountAsync(e => e.DocumentId == ready.Id && e.Kind == DocumentEventKind.PickupRefused,
            TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task LiftingALock_NeedsTheIdentityCheckAndAReason_AndSaysBothInTimelineAndAudit()
    {
        var ready = await ReadyDocumentAsync();
        for (var i = 0; i < 5; i++)
        {
            await RequestAsync(ready.Phone, "999999", oldNumber: OldNumber);
        }
        var actions = app.Services.GetRequiredService<DocumentActions>();

        var withoutReason = await actions.LiftLockAsync(ready.Id, IdentityProof.Passport, "  ", "staff:test");
        var withoutProof = await actions.LiftLockAsync(ready.Id, (IdentityProof)99, "Ausweis geprüft", "staff:test");
        Assert.NotNull((await DocumentAsync(ready.Id)).PickupLockedAt);
        var lifted = await actions.LiftLockAsync(ready.Id, IdentityProof.Passport, "Vertipper, Person am Schalter", "staff:test");

        Assert.Equal(RefusalCode.LiftReasonRequired, withoutReason?.Code);
        Assert.Equal(RefusalCode.IdentityProofRequired, withoutProof?.Code);
        Assert.Null(lifted);
        Assert.Null((await DocumentAsync(ready.Id)).PickupLockedAt);
        var details = await app.Services.GetRequiredService<DocumentQueries>().GetAsync(ready.Id, TestContext.Current.CancellationToken);
        Assert.Contains(details!.Timeline, l => l.Details == "Sperre nach Fehlversuchen aufgehoben (Identität geprüft: Reisepass vorgelegt): Vertipper, Person am Schalter");
        await using var db = await app.NewDbContextAsync();
        var audit = await db.AuditEntries.SingleAsync(a => a.Subject == $"document:{ready.Id}" && a.Action == "document.lock_lifted",
            TestContext.Current.CancellationToken);
        Assert.Equal("identity checked: Passport; Vertipper, Person am Schalter", audit.Details);
    }

    [Fact]
    public async Task ChangedMobileNumber_GetsTheReissuedPin_AndIsAuditedWithoutTheNumber()
    {
        var ready = await ReadyDocumentAsync();
        var actions = app.Services.GetRequiredService<DocumentActions>();
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        const string NewPhone = "+491765550987";

        var invalid = await actions.ChangeMobileNumberAsync(ready.Id, IdentityProof.IdCard, "0211 123456", "staff:test");
        var changed = await actions.ChangeMobileNumberAsync(ready.Id, IdentityProof.IdCard, "0176 5550987", "staff:test");
        Assert.Null(await actions.ReissuePinAsync(ready.Id, IdentityProof.IdCard, "staff:test"));
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Task.FromResult(sender.Messages.Any(m => m.Recipient == NewPhone)), "the new PIN goes to the new number");

        Assert.Equal(RefusalCode.MobileNumberInvalid, invalid?.Code);
        Assert.Null(changed);
        var newPin = ReadyDocuments.Pin().Match(sender.Messages.First(m => m.Recipient == NewPhone).Text).Groups[1].Value;
        Assert.True((await RequestAsync(NewPhone, newPin, oldNumber: OldNumber)).Granted);
        await using var db = await app.NewDbContextAsync();
        var audit = await db.AuditEntries.Where(a => a.Subject == $"document:{ready.Id}").ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(audit, a => a.Action == "document.mobile_changed" && a.Details == "identity checked: IdCard");
        Assert.Contains(audit, a => a.Action == "timeline.Note" && a.Details == "Mobilnummer geändert (Identität geprüft: Personalausweis vorgelegt).");
        Assert.DoesNotContain(audit, a => (a.Details ?? "").Contains("5550987", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OldIdInTheSlot_IsCountedAndMatchedToTheDocument()
    {
        // An old ID number of its own: the other tests' documents share theirs.
        var ready = await ReadyDocumentAsync(oldNumber: "T99000127");

        var report = _bridge.ReportOldDocument("T99000127");
        var response = await RequestAsync(ready.Phone, ready.Pin, oldNumber: "T99000127");

        Assert.True(response.Granted);
        await WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            return await db.OldDocumentDeposits.AnyAsync(d => d.EventId == report.EventId && d.DocumentId == ready.Id);
        }, "the deposit is recorded and matched");
    }

    [Fact]
    public async Task Attempts_AreAuditedWithoutThePin()
    {
        var ready = await ReadyDocumentAsync();

        await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber);

        await using var db = await app.NewDbContextAsync();
        var lines = await db.AuditEntries.Where(a => a.Action.StartsWith("pickup.")).Select(a => a.Action + " " + a.Outcome + " " + a.Details).ToListAsync();
        Assert.Contains(lines, l => l.StartsWith("pickup.granted ok", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(ready.Pin, StringComparison.Ordinal) || l.Contains(ready.Phone[3..], StringComparison.Ordinal));
    }

    private Task<PickupResponse> RequestAsync(string phone, string pin, string? oldNumber = null, string? birthDate = null) =>
        _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), phone, pin, oldNumber, birthDate), TestContext.Current.CancellationToken);

    private async Task<(Guid Id, string Phone, string Pin, string Label)> ReadyDocumentAsync(string oldNumber = OldNumber)
    {
        var ready = await ReadyDocuments.CreateAsync(app, oldNumber);
        return (ready.Id, ready.Phone, ready.Pin, ready.Label);
    }

    private Task<Document> DocumentAsync(Guid id) => ReadyDocuments.GetAsync(app, id);
}
