using System.Diagnostics;
using BackOffice.Application.Reports;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Benchmarks;

/// <summary>Report figures: a 12-month Tagesjournal of one box with about 30,000 lines, as PDF and as CSV.</summary>
internal static class ReportBenchmarks
{
    private const int Runs = 3;

    /// <summary>
    /// Seeds DLZ-1 with a year of activity (1 Dec 2025 – 30 Nov 2026): 13,500 documents loaded and then picked up (or,
    /// every seventh, retrieved), a PIN reissued for every fifth, one service opening a day: about 30,000 journal lines.
    /// Then generates the year's Tagesjournal through <see cref="ReportService"/> (query, model, rendering, audit), once to
    /// warm up and three times per format, and prints the median, the split into query and rendering, and the sizes.
    /// </summary>
    public static async Task JournalAsync(BenchmarkOptions options)
    {
        var documents = options.Commands == 1000 ? 13_500 : options.Commands;
        await using var app = await BenchmarkApp.StartAsync();
        var lines = await SeedAsync(app.Services, documents);

        var reports = app.Services.GetRequiredService<ReportService>();
        var request = new ReportRequest(ReportKind.DailyJournal, "DLZ-1", new DateOnly(2025, 12, 1), new DateOnly(2026, 11, 30));
        var requester = new ReportRequester("staff:benchmark", "Benchmark");
        await reports.GenerateAsync(request, ReportFileFormat.Pdf, requester); // warm-up: JIT, fonts, connection pool

        var build = await TimeAsync(async () => await reports.BuildAsync(request, requester));
        var (report, _) = await reports.BuildAsync(request, requester);
        var renderers = app.Services.GetServices<IReportRenderer>().ToDictionary(r => r.Format);
        foreach (var format in new[] { ReportFileFormat.Pdf, ReportFileFormat.Csv })
        {
            ReportFile? file = null;
            var total = await TimeAsync(async () => file = await reports.GenerateAsync(request, format, requester));
            var render = await TimeAsync(() =>
            {
                using var output = new MemoryStream();
                renderers[format].Render(report!, output);
                return Task.CompletedTask;
            });
            var size = file!.Content!.Length;
            var pages = format == ReportFileFormat.Pdf ? $", {PageCount(file.Content)} pages" : "";
            Console.WriteLine($"report-journal {format.ToString().ToUpperInvariant()}: {total.TotalSeconds:0.00} s " +
                              $"(query and model {build.TotalSeconds:0.00} s, rendering {render.TotalSeconds:0.00} s), " +
                              $"{size / 1024.0 / 1024.0:0.0} MiB{pages}");
        }
        Console.WriteLine($"report-journal: {lines:N0} journal lines of {documents:N0} documents, 12 months, box DLZ-1; median of {Runs} runs");
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < Runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await action();
            times.Add(Stopwatch.GetElapsedTime(started));
        }
        return times.Order().ElementAt(Runs / 2);
    }

    private static int PageCount(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;

    private static async Task<int> SeedAsync(IServiceProvider services, int documents)
    {
        var factory = services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>();
        Guid boxId;
        List<Compartment> compartments;
        await using (var db = await factory.CreateDbContextAsync())
        {
            boxId = await db.Boxes.Where(b => b.Code == "DLZ-1").Select(b => b.Id).SingleAsync();
            compartments = await db.Compartments.AsNoTracking().Where(c => c.BoxId == boxId).OrderBy(c => c.Module).ThenBy(c => c.Row).ToListAsync();
        }
        var first = new DateTimeOffset(2025, 12, 1, 7, 0, 0, TimeSpan.Zero);
        var staff = new[] { "staff:sachbearbeitung@demo.local", "staff:teamleitung@demo.local" };
        var lines = 0;
        const int batch = 1500;
        for (var start = 0; start < documents; start += batch)
        {
            await using var db = await factory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(documents, start + batch); i++)
            {
                var compartment = compartments[i % compartments.Count];
                var loaded = first.AddDays(i * 365.0 / documents).AddMinutes(i % 480);
                var retrieved = i % 7 == 0;
                var document = Handled(db, i, boxId, compartment, loaded, retrieved, staff[i % 2]);
                db.DocumentEvents.Add(Line(document, DocumentEventKind.Loaded, loaded, staff[i % 2], $"Im Fach {compartment.Label} bereit.", compartment.Label));
                lines++;
                if (i % 5 == 0)
                {
                    db.DocumentEvents.Add(Line(document, DocumentEventKind.PinReissued, loaded.AddDays(1), staff[(i + 1) % 2],
                        "Neue PIN per SMS (Identität geprüft: Personalausweis); die bisherige PIN gilt nicht mehr.", null));
                    lines++;
                }
                db.DocumentEvents.Add(retrieved
                    ? Line(document, DocumentEventKind.Retrieved, loaded.AddDays(12), staff[i % 2], "Zurückgeholt.", compartment.Label)
                    : Line(document, DocumentEventKind.PickedUp, loaded.AddDays(2), "box:DLZ-1", $"An der Box übergeben (Fach {compartment.Label}).", compartment.Label));
                lines++;
            }
            await db.SaveChangesAsync();
        }
        await using (var db = await factory.CreateDbContextAsync())
        {
            for (var day = 0; day < 365; day++)
            {
                var compartment = compartments[(day * 37) % compartments.Count];
                var at = first.AddDays(day).AddHours(6);
                db.BridgeCommands.Add(new BridgeCommand
                {
                    Id = Guid.NewGuid(), BoxId = boxId, CompartmentId = compartment.Id, CompartmentLabel = compartment.Label,
                    Purpose = CommandPurpose.Service, Status = CommandStatus.Opened, CreatedAt = at, ExpiresAt = at.AddSeconds(30),
                    CompletedAt = at.AddSeconds(2), RequestedBy = "staff:teamleitung@demo.local", Reason = "Sichtprüfung der Tür",
                });
                lines++;
            }
            await db.SaveChangesAsync();
        }
        return lines;
    }

    /// <summary>
    /// A document walked through its lifecycle as the services do (registered, loaded, then picked up or taken back to the
    /// counter), with its loading. The timeline lines the lifecycle returns are not kept: the benchmark writes its own.
    /// </summary>
    private static Document Handled(BackOfficeDbContext db, int i, Guid boxId, Compartment compartment, DateTimeOffset loaded, bool retrieved, string clerk)
    {
        var document = Document.Create(DocumentType.IdCard, Number(i), $"Person {i}", new DateOnly(1980, 1, 1), "+4917012345678", [],
            $"JOURNAL-{i:000000}", boxId, needsAccessibleCompartment: false);
        document.Register(Guid.NewGuid(), loaded.AddHours(-1), "api", "");
        var load = new CompartmentLoad
        {
            Id = Guid.NewGuid(), BoxId = boxId, CompartmentId = compartment.Id, Status = LoadStatus.Completed, StartedAt = loaded, EndedAt = loaded,
            StartedBy = clerk, DocumentIds = [document.Id],
        };
        document.StartLoading(load, compartment, loaded, clerk, "");
        document.CompleteLoading(DateOnly.FromDateTime(loaded.UtcDateTime).AddDays(10), "benchmark-without-pin", loaded, clerk, "", compartment.Label);
        if (retrieved)
        {
            document.StartRetrieval(loaded.AddDays(12), clerk, "", compartment.Label);
            document.CompleteRetrieval(loaded.AddDays(12), clerk, "", compartment.Label);
        }
        else
        {
            document.StartPickup(loaded.AddDays(2), "box:DLZ-1", "");
            document.HandOver(loaded.AddDays(2), "box:DLZ-1", "", compartment.Label);
        }
        db.CompartmentLoads.Add(load);
        db.Documents.Add(document);
        return document;
    }

    private static DocumentEvent Line(Document document, DocumentEventKind kind, DateTimeOffset at, string actor, string note, string? label) =>
        new() { DocumentId = document.Id, Kind = kind, At = at, State = document.State, Actor = actor, Note = note, CompartmentLabel = label };

    private static string Number(int i)
    {
        const string alphabet = "0123456789CFGHJKLMNPRTVWXYZ";
        var chars = new char[9];
        chars[0] = 'J';
        for (var position = 8; position >= 1; position--)
        {
            chars[position] = alphabet[i % alphabet.Length];
            i /= alphabet.Length;
        }
        return new string(chars);
    }
}
