using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Persistence;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.IntegrationTests.Reports;

/// <summary>
/// The app with the demo boxes, a clock standing at Friday 20.11.2026 10:00 (Berlin), and documents seeded for the
/// reports: three overdue and one ready document in DLZ-1 (in compartments inserted out of order), one picked up,
/// one compartment out of service, and 120 overdue documents in HOL-1 (several pages).
/// </summary>
public sealed class ReportAppFactory : BackOfficeAppFactory, IAsyncLifetime
{
    public const string Clerk = "sachbearbeitung@demo.local";
    public const string Supervisor = "teamleitung@demo.local";
    public const string Admin = "admin@demo.local";

    /// <summary>The holder of <see cref="HistoryNumber"/>: printed in full only on the Vorgangsauszug.</summary>
    public const string HolderName = "Erika Mustermann";
    public const string HistoryNumber = "CF1G2H3J4";
    public const string ReadyNumber = "LM1X00T47";
    public const string JournalNumber = "JR1X00K55";
    public const string FormulaHolder = "=HYPERLINK(\"http://example.invalid\";\"x\")";

    private static readonly string Alphabet = DocumentRules.DocumentAlphabet;

    // No PIN opens these compartments: the report tests never pick up.
    private const string SeededPinHash = "seeded-without-pin";
    private int _sequence;

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));

    public Guid HistoryDocumentId { get; private set; }

    public Guid FormulaDocumentId { get; private set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    // Re-implemented so the seeding runs after the base class created the database.
    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        StartServer();
        await using var db = await Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();
        var dlz = await db.Boxes.SingleAsync(b => b.Code == "DLZ-1");
        var hol = await db.Boxes.SingleAsync(b => b.Code == "HOL-1");
        var compartments = await db.Compartments.ToListAsync();
        Compartment At(Box box, string label) => compartments.Single(c => c.BoxId == box.Id && c.Label == label);

        var history = Ready(db, dlz, At(dlz, "05-02"), HistoryNumber, new DateOnly(2026, 11, 15), HolderName);
        HistoryDocumentId = history.Id;
        Ready(db, dlz, At(dlz, "01-10"), NextNumber(), new DateOnly(2026, 11, 19));
        FormulaDocumentId = Ready(db, dlz, At(dlz, "01-03"), NextNumber(), new DateOnly(2026, 11, 18), FormulaHolder).Id;
        Ready(db, dlz, At(dlz, "02-01"), ReadyNumber, new DateOnly(2026, 11, 20)); // last day today: not overdue
        var picked = Ready(db, dlz, At(dlz, "03-01"), NextNumber(), new DateOnly(2026, 11, 25));
        var pickedUpAt = Clock.GetUtcNow().AddDays(-1);
        picked.StartPickup(pickedUpAt, "box:DLZ-1", "Seeded.");
        picked.HandOver(pickedUpAt, "box:DLZ-1", "Seeded.", "03-01");
        At(dlz, "03-01").Vacate();
        At(dlz, "04-04").TakeOutOfService("Tür klemmt");

        var at = Clock.GetUtcNow().AddDays(-20);
        db.DocumentEvents.AddRange(
            Event(history, DocumentEventKind.Registered, at, DocumentState.Arrived, "api:registration", "Erfasst über die Registrierungssoftware."),
            Event(history, DocumentEventKind.LoadStarted, at.AddHours(2), DocumentState.Loading, "staff:" + Clerk, "Einlage in Fach 05-02 begonnen.", "05-02"),
            Event(history, DocumentEventKind.Loaded, at.AddHours(2).AddMinutes(1), DocumentState.ReadyForPickup, "staff:" + Clerk,
                "In Fach 05-02 eingelegt; SMS mit PIN veranlasst.", "05-02"),
            Event(history, DocumentEventKind.PinReissued, at.AddDays(3), DocumentState.ReadyForPickup, "staff:" + Supervisor,
                "Neue PIN per SMS (Identität geprüft: Personalausweis)."));

        // The journal of DLZ-1 on Thursday 19.11.2026 (Berlin = UTC+1): one line of each kind, out of order, and a line of another box.
        var thursday = new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.FromHours(1)).ToUniversalTime();
        var journal = Ready(db, dlz, At(dlz, "06-01"), JournalNumber, new DateOnly(2026, 11, 29));
        journal.StartRetrieval(thursday.AddHours(17), "staff:" + Supervisor, "Seeded.", "06-01");
        journal.CompleteRetrieval(thursday.AddHours(17), "staff:" + Supervisor, "Seeded.", "06-01");
        At(dlz, "06-01").Vacate();
        db.DocumentEvents.AddRange(
            Event(journal, DocumentEventKind.PickedUp, thursday.AddHours(16), DocumentState.PickedUp, "box:DLZ-1", "An der Box übergeben (Fach 06-01).", "06-01"),
            Event(journal, DocumentEventKind.Loaded, thursday.AddHours(8), DocumentState.ReadyForPickup, "staff:" + Clerk, "Im Fach 06-01 bereit.", "06-01"),
            Event(journal, DocumentEventKind.PinReissued, thursday.AddHours(11), DocumentState.ReadyForPickup, "staff:" + Clerk,
                "Neue PIN per SMS (Identität geprüft: Reisepass).", "06-01"),
            Event(journal, DocumentEventKind.DeadlineExtended, thursday.AddHours(12), DocumentState.ReadyForPickup, "staff:" + Clerk,
                "Abholfrist um 5 Tage verlängert bis 04.12.2026 (1. Verlängerung): Urlaub bis Monatsende"),
            Event(journal, DocumentEventKind.Retrieved, thursday.AddHours(17), DocumentState.BackAtCounter, "staff:" + Supervisor, "Zurückgeholt.", "06-01"),
            Event(journal, DocumentEventKind.Note, thursday.AddHours(9), DocumentState.ReadyForPickup, "system", "Nur eine Notiz."),
            // 23:30 on the 18th and 00:30 on the 20th in Berlin: outside the day, though inside it in UTC.
            Event(journal, DocumentEventKind.Loaded, thursday.AddMinutes(-30), DocumentState.ReadyForPickup, "staff:" + Clerk, "Vortag.", "06-01"),
            Event(journal, DocumentEventKind.Loaded, thursday.AddHours(24.5), DocumentState.ReadyForPickup, "staff:" + Clerk, "Folgetag.", "06-01"));
        db.BridgeCommands.Add(new BridgeCommand
        {
            Id = Guid.NewGuid(), BoxId = dlz.Id, CompartmentId = At(dlz, "04-04").Id, CompartmentLabel = "04-04", Purpose = CommandPurpose.Service,
            Status = CommandStatus.Opened, CreatedAt = thursday.AddHours(14), ExpiresAt = thursday.AddHours(14).AddSeconds(30),
            CompletedAt = thursday.AddHours(14).AddSeconds(2), RequestedBy = "staff:" + Supervisor, Reason = "Tür klemmt, geprüft",
        });

        // Two bin emptyings of DLZ-1, counted by two people each; the second one is one short.
        db.BinEmptyings.AddRange(
            new BinEmptying
            {
                Id = Guid.NewGuid(), BoxId = dlz.Id, EmptiedAt = thursday.AddDays(-1).AddHours(9), CountedDocuments = 12, ReportedDeposits = 12,
                DepositsUntil = thursday.AddDays(-1).AddHours(9), RecordedBy = Clerk, WitnessedBy = Supervisor,
            },
            new BinEmptying
            {
                Id = Guid.NewGuid(), BoxId = dlz.Id, EmptiedAt = thursday.AddHours(15), CountedDocuments = 7, ReportedDeposits = 8,
                DepositsUntil = thursday.AddHours(15), RecordedBy = Supervisor, WitnessedBy = Clerk, Note = "Ein Ausweis klemmte im Schacht.",
            });

        // HOL-1: 120 overdue documents, one or two (a household, loaded together) per compartment.
        var holCompartments = compartments.Where(c => c.BoxId == hol.Id).OrderBy(c => c.Module).ThenBy(c => c.Row).ToList();
        var holDeadline = new DateOnly(2026, 11, 1);
        var holDocuments = new List<(Document Document, Compartment Compartment)>();
        for (var i = 0; i < 120; i++)
        {
            var document = Registered(db, hol, NextNumber(), holDeadline);
            holDocuments.Add((document, holCompartments[i % holCompartments.Count]));
            // Its loading, for a journal of HOL-1 over several pages: 120 loadings on 1–12 November.
            db.DocumentEvents.Add(Event(document, DocumentEventKind.Loaded,
                new DateTimeOffset(2026, 11, 1 + i % 12, 8, i % 60, 0, TimeSpan.Zero), DocumentState.ReadyForPickup, "staff:" + Clerk, "Eingelegt.",
                holCompartments[i % holCompartments.Count].Label));
        }
        foreach (var household in holDocuments.GroupBy(d => d.Compartment, d => d.Document))
        {
            Load(db, hol, household.Key, holDeadline, [.. household]);
        }
        await db.SaveChangesAsync();
    }

    public async Task<HttpClient> SignedInAsync(string email)
    {
        var client = CreateBrowserClient();
        await StaffSession.SignInAsync(client, email, DemoStaff.Password);
        return client;
    }

    /// <summary>A document ready for pickup in <paramref name="compartment"/> until <paramref name="deadline"/>.</summary>
    private Document Ready(BackOfficeDbContext db, Box box, Compartment compartment, string number, DateOnly deadline, string? holder = null)
    {
        var document = Registered(db, box, number, deadline, holder);
        Load(db, box, compartment, deadline, [document]);
        return document;
    }

    /// <summary>
    /// A document registered the day before its loading; the timeline lines the lifecycle returns are not recorded: the
    /// reports read the timeline each test class seeds on purpose.
    /// </summary>
    private Document Registered(BackOfficeDbContext db, Box box, string number, DateOnly deadline, string? holder = null)
    {
        var document = Document.Create(DocumentType.IdCard, number, holder ?? $"Person {_sequence}", new DateOnly(1983, 8, 12),
            "+4917012345678", [], $"REP-{Guid.NewGuid():N}", box.Id, needsAccessibleCompartment: false);
        document.Register(Guid.NewGuid(), ReadyAt(box, deadline).AddDays(-1), "api:registration", "Seeded.");
        db.Documents.Add(document);
        return document;
    }

    /// <summary>Loads a household into <paramref name="compartment"/>, as a completed loading does: ready until the deadline.</summary>
    private static void Load(BackOfficeDbContext db, Box box, Compartment compartment, DateOnly deadline, IReadOnlyList<Document> documents)
    {
        var readyAt = ReadyAt(box, deadline);
        var load = new CompartmentLoad
        {
            Id = Guid.NewGuid(),
            BoxId = box.Id,
            CompartmentId = compartment.Id,
            Status = LoadStatus.Completed,
            StartedAt = readyAt,
            EndedAt = readyAt,
            StartedBy = "staff:" + Clerk,
            DocumentIds = documents.Select(d => d.Id).ToList(),
        };
        db.CompartmentLoads.Add(load);
        compartment.ReserveForLoading();
        foreach (var document in documents)
        {
            document.StartLoading(load, compartment, readyAt, load.StartedBy, "Seeded.");
            document.CompleteLoading(deadline, SeededPinHash, readyAt, load.StartedBy, "Seeded.", compartment.Label);
        }
        compartment.Occupy();
    }

    private static DateTimeOffset ReadyAt(Box box, DateOnly deadline) =>
        new DateTimeOffset(deadline.ToDateTime(new TimeOnly(8, 15)), TimeSpan.Zero).AddDays(-box.PickupDeadlineDays);

    private static DocumentEvent Event(
        Document document, DocumentEventKind kind, DateTimeOffset at, DocumentState state, string actor, string note, string? label = null) =>
        new() { DocumentId = document.Id, Kind = kind, At = at, State = state, Actor = actor, Note = note, CompartmentLabel = label };

    /// <summary>Unique valid numbers: "T" and eight characters of the document alphabet counting up.</summary>
    private string NextNumber()
    {
        var value = ++_sequence;
        var chars = new char[8];
        for (var i = 7; i >= 0; i--)
        {
            chars[i] = Alphabet[value % Alphabet.Length];
            value /= Alphabet.Length;
        }
        return "T" + new string(chars);
    }
}
