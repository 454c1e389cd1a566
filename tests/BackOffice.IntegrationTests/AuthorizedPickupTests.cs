using System.Text;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Application.Overdue;
using BackOffice.Application.Pickup;
using BackOffice.Application.Privacy;
using BackOffice.Application.Reports;
using BackOffice.Bridge;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>
/// The counter's exceptions over the real hub with the real bridge code and the lock simulator: a person with a
/// Vollmacht picks up with their own number, the PIN sent to them and their own birth date; revoking it gives the
/// holder a new PIN; a clerk extends the pickup deadline, and reminders and the overdue list follow.
/// </summary>
public class AuthorizedPickupTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>, IAsyncLifetime
{
    private const string OldNumber = "T22000129";
    private const string Clerk = "staff:sachbearbeitung@demo.local";
    private const string AuthorizedPhone = "+491609876543";
    private const string AuthorizedBirth = "1960-01-31";
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

    private PickupAuthorizations Authorizations => app.Services.GetRequiredService<PickupAuthorizations>();

    private DevelopmentSmsSender Sender => app.Services.GetRequiredService<DevelopmentSmsSender>();

    [Fact]
    public async Task Vollmacht_OnAReadyDocument_PinGoesToThePerson_WhoPicksUpWithTheirOwnBirthDate()
    {
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber, "V");
        var phone = NextAuthorizedPhone();

        Assert.Null(await Authorizations.RecordAsync(ready.Id, Person(phone), AuthorizationProof.SignedAuthorizationForm, Clerk));
        var pin = await PinSentToAsync(phone);

        // The holder's PIN and the holder's number no longer open it; nor does the holder's birth date with the person's number.
        Assert.False((await RequestAsync(ready.Phone, ready.Pin, oldNumber: OldNumber)).Granted);
        Assert.False((await RequestAsync(ready.Phone, pin, birthDate: "1983-08-12")).Granted);
        Assert.False((await RequestAsync(phone, pin, birthDate: "1983-08-12")).Granted);

        var granted = await RequestAsync(phone, pin, birthDate: AuthorizedBirth);

        Assert.True(granted.Granted, granted.Message);
        Assert.Equal([ready.Label], granted.Compartments);
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.PickedUp, "handed over");
        var document = await ReadyDocuments.GetAsync(app, ready.Id);
        Assert.True(document.PickedUpByAuthorizedPerson);
        Assert.Equal(2, _lock.OpenCount(ready.Label));
        await using (var db = await app.NewDbContextAsync())
        {
            var notes = await db.DocumentEvents.Where(e => e.DocumentId == ready.Id).OrderBy(e => e.Id).Select(e => e.Note).ToListAsync();
            Assert.Contains(notes, n => n.StartsWith("Vollmacht erfasst (unterschriebener Vollmachtsvordruck der Stadt)", StringComparison.Ordinal));
            Assert.Contains(notes, n => n == $"An der Box an die bevollmächtigte Person übergeben (Fach {ready.Label}).");
            var actions = await db.AuditEntries.Where(a => a.Subject == $"document:{ready.Id}").Select(a => a.Action + " " + a.Details).ToListAsync();
            Assert.Contains("document.authorization_recorded proof: SignedAuthorizationForm; new PIN to the authorised person", actions);
            // The audit trail is never erased: it holds neither the person's name nor their number.
            Assert.DoesNotContain(await db.AuditEntries.Select(a => a.Details ?? "").ToListAsync(), d => d.Contains("Mustermann", StringComparison.Ordinal) || d.Contains(phone[3..], StringComparison.Ordinal));
            Assert.Contains(await db.AuditEntries.Where(a => a.Action == "pickup.granted").Select(a => a.Details).ToListAsync(),
                d => d!.EndsWith(", 1 by an authorised person", StringComparison.Ordinal));
        }

        // The Vorgangsauszug names who collected it; the Tagesjournal says it was an authorised person, not who.
        var history = await CsvAsync(new ReportRequest(ReportKind.DocumentHistory, DocumentId: ready.Id));
        Assert.Contains("Abgeholt durch;bevollmächtigte Person: Max Mustermann", history, StringComparison.Ordinal);
        Assert.Contains("Bevollmächtigte Person;Max Mustermann, geb. 31.01.1960", history, StringComparison.Ordinal);
        var today = DateOnly.FromDateTime(OfficeClockNow().DateTime);
        var journal = await CsvAsync(new ReportRequest(ReportKind.DailyJournal, "DLZ-1", today, today));
        Assert.Contains(journal.Split("\r\n"), l => l.Contains(";Abholung;" + ready.Label + ";", StringComparison.Ordinal)
            && l.EndsWith(";durch bevollmächtigte Person (Vollmacht)", StringComparison.Ordinal));

        // The retention run erases the person's data with the holder's.
        app.Clock.Advance(TimeSpan.FromDays(31));
        await app.Services.GetRequiredService<PersonalDataRetention>().RunAsync("system", TestContext.Current.CancellationToken);
        var erased = await ReadyDocuments.GetAsync(app, ready.Id);
        Assert.Equal((null, null, null, null), (erased.AuthorizedName, erased.AuthorizedMobileNumber, erased.AuthorizedDateOfBirth, erased.AuthorizedMobileNumberHash));
        Assert.True(erased.PickedUpByAuthorizedPerson);
        await using (var db = await app.NewDbContextAsync())
        {
            var raw = await db.Database.SqlQuery<string>($"SELECT coalesce(\"AuthorizedName\", '') || coalesce(\"AuthorizedMobileNumber\", '') AS \"Value\" FROM documents WHERE \"Id\" = {ready.Id}").SingleAsync();
            Assert.Equal("", raw);
        }
        await _bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Vollmacht_BeforeLoading_TheFirstSmsGoesToThePerson_AndTheHoldersOldIdStillWorks()
    {
        var phone = NextAuthorizedPhone();
        var registered = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Kinderreisepass", DocumentNumber = $"K{Random.Shared.Next(10000000, 99999999)}", HolderName = "Mia Mustermann",
            DateOfBirth = "05.05.2016", MobileNumber = phone, OldDocumentNumbers = [OldNumber],
            ApplicationReference = $"VM-{Guid.NewGuid():N}"[..30], BoxCode = "DLZ-1",
        }, Clerk);
        var id = registered.DocumentId!.Value;
        Assert.Null(await Authorizations.RecordAsync(id, Person(phone), AuthorizationProof.ParentalCustody, Clerk));
        var stored = await ReadyDocuments.GetAsync(app, id);
        Assert.Null(stored.PinHash);
        Assert.NotNull(stored.AuthorizedMobileNumberHash);

        var loading = app.Services.GetRequiredService<DocumentLoading>();
        var proposal = await loading.ProposeAsync([id]);
        Assert.True((await loading.StartAsync([id], proposal!.CompartmentId, Clerk)).Started);
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, id)).State == DocumentState.ReadyForPickup, "loaded");
        var text = await TextSentToAsync(phone, m => m.Contains("Sie sind bevollmächtigt", StringComparison.Ordinal));
        Assert.Contains("Ihr eigenes Geburtsdatum (oder den alten Ausweis von Mia)", text, StringComparison.Ordinal);
        var pin = ReadyDocuments.Pin().Match(text).Groups[1].Value;

        // The minor's birth date is no factor for the parent; the child's old ID in the slot is.
        Assert.False((await RequestAsync(phone, pin, birthDate: "2016-05-05")).Granted);
        var granted = await RequestAsync(phone, pin, oldNumber: OldNumber);

        Assert.True(granted.Granted, granted.Message);
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, id)).State == DocumentState.PickedUp, "handed over");
        Assert.True((await ReadyDocuments.GetAsync(app, id)).PickedUpByAuthorizedPerson);
    }

    [Fact]
    public async Task Revoking_VoidsThePersonsPin_AndTheHolderGetsANewOne()
    {
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber, "W");
        var phone = NextAuthorizedPhone();
        Assert.Null(await Authorizations.RecordAsync(ready.Id, Person(phone), AuthorizationProof.SignedAuthorizationWithIdCopy, Clerk));
        var personsPin = await PinSentToAsync(phone);
        var holderMessages = Sender.Messages.Count(m => m.Recipient == ready.Phone);

        Assert.Null(await Authorizations.RevokeAsync(ready.Id, Clerk));

        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Task.FromResult(Sender.Messages.Count(m => m.Recipient == ready.Phone) > holderMessages), "the holder's new PIN is sent");
        var holdersPin = ReadyDocuments.Pin().Match(Sender.Messages.First(m => m.Recipient == ready.Phone).Text).Groups[1].Value;
        Assert.False((await RequestAsync(phone, personsPin, birthDate: AuthorizedBirth)).Granted);
        Assert.Null((await ReadyDocuments.GetAsync(app, ready.Id)).AuthorizedName);
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.Contains(await db.AuditEntries.Where(a => a.Subject == $"document:{ready.Id}").Select(a => a.Action).ToListAsync(),
                a => a == "document.authorization_revoked");
        }
        var granted = await RequestAsync(ready.Phone, holdersPin, birthDate: "1983-08-12");
        Assert.True(granted.Granted, granted.Message);
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.PickedUp, "handed over");
        Assert.False((await ReadyDocuments.GetAsync(app, ready.Id)).PickedUpByAuthorizedPerson);
    }

    [Fact]
    public async Task Vollmacht_IsRefused_WithoutAProof_Twice_WithBadData_OrOnceHandedOver()
    {
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber, "X");
        var phone = NextAuthorizedPhone();

        Assert.Equal("Bitte angeben, welche Vollmacht vorgelegt wurde.",
            app.Services.Words(await Authorizations.RecordAsync(ready.Id, Person(phone), null, Clerk)));
        Assert.Equal("Bitte angeben, welche Vollmacht vorgelegt wurde.",
            app.Services.Words(await Authorizations.RecordAsync(ready.Id, Person(phone), AuthorizationProof.RecordedWithApplication, Clerk)));
        Assert.StartsWith("Bitte ein gültiges Geburtsdatum der bevollmächtigten Person",
            app.Services.Words(await Authorizations.RecordAsync(ready.Id, new AuthorizedPersonDraft { Name = "Kind", DateOfBirth = "01.01.2020", MobileNumber = phone },
                AuthorizationProof.SignedAuthorizationForm, Clerk)), StringComparison.Ordinal);
        Assert.Equal("Für dieses Dokument ist keine Person bevollmächtigt.", app.Services.Words(await Authorizations.RevokeAsync(ready.Id, Clerk)));
        Assert.Null((await ReadyDocuments.GetAsync(app, ready.Id)).AuthorizedName);

        Assert.Null(await Authorizations.RecordAsync(ready.Id, Person(phone), AuthorizationProof.LegalGuardianship, Clerk));
        Assert.Equal("Für dieses Dokument ist schon eine Person bevollmächtigt. Bitte die Vollmacht erst widerrufen.",
            app.Services.Words(await Authorizations.RecordAsync(ready.Id, Person(NextAuthorizedPhone()), AuthorizationProof.LegalGuardianship, Clerk)));

        var pin = await PinSentToAsync(phone);
        Assert.True((await RequestAsync(phone, pin, birthDate: AuthorizedBirth)).Granted);
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.PickedUp, "handed over");
        Assert.StartsWith("Eine Vollmacht lässt sich nur erfassen oder widerrufen",
            app.Services.Words(await Authorizations.RevokeAsync(ready.Id, Clerk)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadlineExtension_MovesTheDeadline_TellsTheCitizen_AndRemindersAndTheOverdueListFollow()
    {
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber, "Y");
        var deadline = (await ReadyDocuments.GetAsync(app, ready.Id)).PickupDeadline!.Value;

        Assert.Equal("Bitte einen Grund für die Verlängerung angeben (höchstens 200 Zeichen).",
            app.Services.Words(await Authorizations.ExtendDeadlineAsync(ready.Id, 5, " ", Clerk)));
        Assert.Equal("Eine Verlängerung umfasst 1 bis 10 Tage.",
            app.Services.Words(await Authorizations.ExtendDeadlineAsync(ready.Id, 11, "Urlaub", Clerk)));
        Assert.Null(await Authorizations.ExtendDeadlineAsync(ready.Id, 10, "Bürger im Urlaub", Clerk));

        var newDeadline = deadline.AddDays(10);
        var document = await ReadyDocuments.GetAsync(app, ready.Id);
        Assert.Equal((newDeadline, 1), (document.PickupDeadline, document.DeadlineExtensions));
        var text = await TextSentToAsync(ready.Phone, m => m.StartsWith("Die Abholfrist", StringComparison.Ordinal));
        Assert.Contains($"Abholung jetzt bis {newDeadline:dd.MM.yyyy}. Die PIN gilt weiter.", text, StringComparison.Ordinal);
        await using (var db = await app.NewDbContextAsync())
        {
            var line = await db.AuditEntries.SingleAsync(a => a.Subject == $"document:{ready.Id}" && a.Action == "document.deadline_extended");
            Assert.Equal($"+10 day(s) to {newDeadline:yyyy-MM-dd}; Bürger im Urlaub", line.Details);
            Assert.Contains(await db.DocumentEvents.Where(e => e.DocumentId == ready.Id && e.Kind == DocumentEventKind.DeadlineExtended).Select(e => e.Note).ToListAsync(),
                n => n == $"Abholfrist um 10 Tage verlängert bis {newDeadline:dd.MM.yyyy} (1. Verlängerung): Bürger im Urlaub");
        }

        var reminders = app.Services.GetRequiredService<PickupReminders>();
        var overdue = app.Services.GetRequiredService<OverdueDocuments>();
        // Two days before the old deadline: no reminder; a day after it: not overdue.
        MoveClockTo(deadline.AddDays(-2));
        await reminders.SendDueAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await RemindersAsync(ready.Id));
        MoveClockTo(deadline.AddDays(1));
        Assert.DoesNotContain(await overdue.ListAsync(), d => d.DocumentId == ready.Id);
        // Two days before the new one: the reminder; a day after it: overdue.
        MoveClockTo(newDeadline.AddDays(-2));
        await reminders.SendDueAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, await RemindersAsync(ready.Id));
        MoveClockTo(newDeadline.AddDays(1));
        Assert.Equal(1, Assert.Single(await overdue.ListAsync(), d => d.DocumentId == ready.Id).DaysOverdue);
        await _bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);

        // At most twice (the default), and only while it is ready.
        Assert.Null(await Authorizations.ExtendDeadlineAsync(ready.Id, 1, "noch einmal", Clerk));
        Assert.Equal("Die Abholfrist wurde schon 2-mal verlängert; öfter geht es nicht.",
            app.Services.Words(await Authorizations.ExtendDeadlineAsync(ready.Id, 1, "ein drittes Mal", Clerk)));
        Assert.Equal((newDeadline.AddDays(1), 2), ((await ReadyDocuments.GetAsync(app, ready.Id)).PickupDeadline, (await ReadyDocuments.GetAsync(app, ready.Id)).DeadlineExtensions));
    }

    [Fact]
    public async Task Reminder_WithAVollmacht_GoesToThePerson_AddressedAsAuthorised()
    {
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber, "R");
        var phone = NextAuthorizedPhone();
        Assert.Null(await Authorizations.RecordAsync(ready.Id, Person(phone), AuthorizationProof.SignedAuthorizationForm, Clerk));
        var deadline = (await ReadyDocuments.GetAsync(app, ready.Id)).PickupDeadline!.Value;

        MoveClockTo(deadline.AddDays(-2));
        await app.Services.GetRequiredService<PickupReminders>().SendDueAsync(TestContext.Current.CancellationToken);

        var text = await TextSentToAsync(phone, m => m.StartsWith("Erinnerung:", StringComparison.Ordinal));
        Assert.StartsWith("Erinnerung: Sie sind bevollmächtigt, ein Dokument (", text, StringComparison.Ordinal);
        Assert.Contains($"bis {deadline:dd.MM.yyyy} ab; die PIN aus der SMS an Sie gilt weiter.", text, StringComparison.Ordinal);
        await using var db = await app.NewDbContextAsync();
        Assert.Equal(1, await db.OutgoingSms.CountAsync(m => m.DocumentId == ready.Id && m.Purpose == SmsPurpose.PickupReminder));
        await _bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);
    }

    private static AuthorizedPersonDraft Person(string phone) =>
        new() { Name = "Max Mustermann", DateOfBirth = "31.01.1960", MobileNumber = phone };

    private static int _phones;

    private static string NextAuthorizedPhone() => $"+49160{5000000 + Interlocked.Increment(ref _phones)}";

    private async Task<string> PinSentToAsync(string phone) =>
        ReadyDocuments.Pin().Match(await TextSentToAsync(phone, m => m.Contains("PIN: ", StringComparison.Ordinal))).Groups[1].Value;

    private async Task<string> TextSentToAsync(string phone, Func<string, bool> match)
    {
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Task.FromResult(Sender.Messages.Any(m => m.Recipient == phone && match(m.Text))), $"an SMS to {phone}");
        return Sender.Messages.First(m => m.Recipient == phone && match(m.Text)).Text; // newest first
    }

    private async Task<int> RemindersAsync(Guid id)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.OutgoingSms.CountAsync(m => m.DocumentId == id && m.Purpose == SmsPurpose.PickupReminder);
    }

    private async Task<string> CsvAsync(ReportRequest request)
    {
        var file = await app.Services.GetRequiredService<ReportService>().GenerateAsync(request, ReportFileFormat.Csv,
            new ReportRequester(Clerk, "Test"), TestContext.Current.CancellationToken);
        Assert.Null(file.Error);
        return Encoding.UTF8.GetString(file.Content!);
    }

    private DateTimeOffset OfficeClockNow() => Application.Common.OfficeClock.ToOfficeTime(app.Clock.GetUtcNow());

    private Task<PickupResponse> RequestAsync(string phone, string pin, string? oldNumber = null, string? birthDate = null) =>
        _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), phone, pin, oldNumber, birthDate), TestContext.Current.CancellationToken);

    private void MoveClockTo(DateOnly day)
    {
        var noon = new DateTimeOffset(day.ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero);
        if (noon > app.Clock.GetUtcNow())
        {
            app.Clock.SetUtcNow(noon);
        }
    }
}
