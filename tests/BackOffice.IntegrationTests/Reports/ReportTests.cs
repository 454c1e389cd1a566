using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BackOffice.Infrastructure.Persistence;
using BackOffice.Testing;
using static BackOffice.IntegrationTests.Reports.ReportAppFactory;

namespace BackOffice.IntegrationTests.Reports;

/// <summary>Reports generated from seeded data through the real endpoint, read back with pdftotext as a person would read them.</summary>
public partial class ReportTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task Occupancy_CountsByStateAndSize_AndListsTheOccupiedCompartments()
    {
        var text = await PdfTextAsync(Clerk, "/reports/belegung.pdf?box=DLZ-1");

        Assert.Contains("Belegungsbericht", text, StringComparison.Ordinal);
        Assert.Contains("Box DLZ-1 – Dienstleistungszentrum", text, StringComparison.Ordinal);
        Assert.Contains("Stand 20.11.2026 10:00", text, StringComparison.Ordinal);
        Assert.Contains("Erstellt am 20.11.2026 10:00 von Jana Neumann", text, StringComparison.Ordinal);
        Assert.Matches(@"belegt\s+\d+\s+\d+\s+\d+\s+4\n", text);
        Assert.Matches(@"außer Betrieb\s+\d+\s+\d+\s+\d+\s+1\n", text);
        Assert.Matches(@"Summe\s+\d+\s+\d+\s+\d+\s+620\n", text);
        Assert.Matches(@"Fächer gesamt\s+620", text);
        Assert.Matches(@"Belegungsquote\s+0,6 %", text);
        Assert.Matches(@"davon überfällig\s+3", text);
        Assert.Matches(@"04-04\s+\w\s+Tür klemmt", text);
        // Occupied compartments in box order, numbers masked.
        Assert.True(Index(text, "01-03") < Index(text, "01-10") && Index(text, "01-10") < Index(text, "02-01") && Index(text, "02-01") < Index(text, "05-02"));
        Assert.Contains("*****H3J4", text, StringComparison.Ordinal);
        Assert.DoesNotContain(HistoryNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain("03-01", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overdue_ListsOnlyOverdueDocuments_InCompartmentOrder_WithTotalsAndSignatureLine()
    {
        var text = await PdfTextAsync(Clerk, "/reports/ueberfaellig.pdf?box=DLZ-1");

        Assert.Contains("Überfällige Dokumente", text, StringComparison.Ordinal);
        Assert.Contains("Stichtag 20.11.2026", text, StringComparison.Ordinal);
        Assert.Matches(@"Entn\.\s+Fach\s+Dokumentart\s+Dokumentnr\.\s+Abholfrist\s+Tage über", text);
        var rows = Regex.Matches(text, @"^\s*(\d\d-\d\d)\s+Personalausweis", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["01-03", "01-10", "05-02"], rows);
        Assert.Matches(@"05-02\s+Personalausweis\s+\*\*\*\*\*H3J4\s+15\.11\.2026\s+5\s", text);
        Assert.DoesNotContain("*****0T47", text, StringComparison.Ordinal); // due today: not overdue yet
        Assert.Matches(@"Überfällige Dokumente\s+3", text);
        Assert.Matches(@"Fächer\s+3", text);
        Assert.Contains("Name, Unterschrift", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overdue_ManyDocuments_BreakAcrossPages_WithHeaderAndPageNumbersOnEachPage()
    {
        var pdf = await DownloadAsync(Clerk, "/reports/ueberfaellig.pdf?box=HOL-1");

        var pages = await PdfTools.PagesAsync(pdf);

        Assert.True(pages.Count >= 3, $"120 rows fill several pages, got {pages.Count}.");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Seite {i + 1} von {pages.Count}", pages[i], StringComparison.Ordinal);
            Assert.Contains("Box HOL-1 – Bürgerbüro Holthausen", pages[i], StringComparison.Ordinal);
            Assert.Contains("Stadt Musterstadt – Bürgerbüro, Pass- und Ausweisstelle", pages[i], StringComparison.Ordinal);
        }
        Assert.All(pages.Skip(1).SkipLast(1), page => Assert.Contains("Zu entnehmende Dokumente (Fortsetzung)", page, StringComparison.Ordinal));
        Assert.All(pages.SkipLast(1), page => Assert.Matches(@"Entn\.\s+Fach\s+Dokumentart", page));
        var rows = pages.Sum(p => Regex.Matches(p, @"^\s*\d\d-\d\d\s+Personalausweis", RegexOptions.Multiline).Count);
        Assert.Equal(120, rows);
        Assert.Matches(@"Überfällige Dokumente\s+120", pages[^1]);
    }

    [Fact]
    public async Task DocumentHistory_PrintsPersonalDataAndTimeline_AndEveryPrintIsAudited()
    {
        var text = await PdfTextAsync(Clerk, $"/reports/vorgangsauszug.pdf?document={app.HistoryDocumentId}");

        Assert.Contains("Vorgangsauszug", text, StringComparison.Ordinal);
        Assert.Contains($"Personalausweis {HistoryNumber} (DLZ-1)", text, StringComparison.Ordinal);
        Assert.Matches(@"Inhaber/in\s+Erika Mustermann", text);
        Assert.Matches(@"Geburtsdatum\s+12\.08\.1983", text);
        Assert.Matches(@"Mobilnummer\s+\+49170\*+678", text);
        Assert.Contains("personenbezogene Daten", text, StringComparison.Ordinal);
        Assert.Matches(@"31\.10\.2026 10:00\s+eingegangen\s+Erfasst über die Registrierungssoftware\.\s+Registrierungssoftware", text);
        Assert.Matches(@"31\.10\.2026 12:01\s+abholbereit\s+In Fach 05-02 eingelegt; SMS mit PIN veranlasst\.\s+05-02\s+Jana Neumann", text);
        Assert.Matches(@"03\.11\.2026 10:00\s+abholbereit\s+Neue PIN per SMS.*Thomas Berger", text);
        Assert.Matches(@"Ereignisse\s+4", text);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();
        // Other tests of this class print the same document as a supervisor, before or after this one depending on
        // the test order (xUnit orders by IDs that include the assembly path): count only this clerk's print.
        var audit = await db.AuditEntries.Where(a => a.Subject == $"document:{app.HistoryDocumentId}" && a.Action == "report.vorgangsauszug"
            && a.Actor == "staff:" + Clerk).ToListAsync();
        var entry = Assert.Single(audit);
        Assert.Equal("Pdf", entry.Details);
    }

    [Fact]
    public async Task Csv_IsUtf8WithBom_SemicolonSeparated_GermanFormatted_AndDefusesFormulas()
    {
        var bytes = await DownloadAsync(Clerk, $"/reports/vorgangsauszug.csv?document={app.FormulaDocumentId}", "text/csv; charset=utf-8");

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.StartsWith("Vorgangsauszug;Personalausweis ", lines[0], StringComparison.Ordinal);
        Assert.Contains("Geburtsdatum;12.08.1983", lines);
        // A holder name that Excel would run as a formula is printed as text.
        Assert.Contains("Inhaber/in;\"'=HYPERLINK(\"\"http://example.invalid\"\";\"\"x\"\")\"", lines);
    }

    [Fact]
    public async Task Csv_OfOverdueDocuments_HasTheTableWithItsHeaderRow()
    {
        var bytes = await DownloadAsync(Supervisor, "/reports/ueberfaellig.csv?box=DLZ-1", "text/csv; charset=utf-8");

        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        var header = Array.IndexOf(lines, "Entn.;Fach;Dokumentart;Dokumentnr.;Abholfrist;Tage über Frist;Erinnert am;Hinweis");
        Assert.True(header > 0, string.Join('\n', lines));
        Assert.Equal(";01-03;Personalausweis;*****0002;18.11.2026;2;–;", lines[header + 1]);
        Assert.Contains("Überfällige Dokumente;3", lines);
    }

    [Fact]
    public async Task Journal_OfOneDay_ListsEachKindInTimeOrder_WithMaskedNumbersStaffAndTotals()
    {
        var text = await PdfTextAsync(Clerk, "/reports/tagesjournal.pdf?box=DLZ-1&from=2026-11-19&to=2026-11-19");

        Assert.Contains("Tagesjournal", text, StringComparison.Ordinal);
        Assert.Contains("Zeitraum 19.11.2026", text, StringComparison.Ordinal);
        var lines = Regex.Matches(text, @"^\s*19\.11\.2026 (\d\d:\d\d)\s+(\S+)", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList();
        Assert.Equal(["08:00 Einlage", "11:00 PIN-Neuvergabe", "12:00 Fristverlängerung", "14:00 Service-Öffnung", "16:00 Abholung", "17:00 Rückholung"], lines);
        Assert.Matches(@"08:00\s+Einlage\s+06-01\s+\*\*\*\*\*0K55\s+Jana Neumann", text);
        Assert.Matches(@"14:00\s+Service-Öffnung\s+04-04\s+Thomas Berger\s+Tür klemmt, geprüft", text);
        Assert.Matches(@"16:00\s+Abholung\s+06-01\s+\*\*\*\*\*0K55\s+Box DLZ-1", text);
        Assert.Matches(@"11:00\s+PIN-Neuvergabe\s+06-01\s+\*{5}0K55\s+Jana Neumann\s+Neue PIN per SMS \(Identität geprüft:\s+Reisepass\)\.", text);
        // A deadline extension: who, by how much, the new date and the reason.
        Assert.Contains("Fristverlängerung *****0K55 Jana Neumann Abholfrist um 5 Tage verlängert bis 04.12.2026 (1. Verlängerung): Urlaub bis Monatsende",
            Regex.Replace(text, @"\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain(JournalNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Nur eine Notiz", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Summen je Tag", text, StringComparison.Ordinal);
        Assert.Matches(@"Einlagen\s+1\n", text);
        Assert.Matches(@"Service-Öffnungen\s+1\n", text);
        Assert.Matches(@"Fristverlängerungen\s+1\n", text);
        Assert.Matches(@"Vorgänge gesamt\s+6\n", text);
    }

    [Fact]
    public async Task Journal_OfAPeriod_RunsOverPages_WithCountsPerDay()
    {
        var pdf = await DownloadAsync(Supervisor, "/reports/tagesjournal.pdf?box=HOL-1&from=2026-11-01&to=2026-11-30");

        var pages = await PdfTools.PagesAsync(pdf);

        Assert.True(pages.Count >= 3, $"120 lines and the daily counts need several pages, got {pages.Count}.");
        Assert.All(pages, page => Assert.Matches($@"Seite \d+ von {pages.Count}", page));
        Assert.All(pages.SkipLast(1), page => Assert.Matches(@"(Zeitpunkt\s+Vorgang\s+Fach\s+Dokument|Tag\s+Einlagen\s+Abholungen)", page));
        var text = string.Join("\n", pages);
        Assert.Equal(120, Regex.Matches(text, @"\d\d:\d\d\s+Einlage\s+\d\d-\d\d").Count);
        Assert.Matches(@"01\.11\.2026\s+10\s+0\s+0\s+0\s+0\s+0\s+10\n", text);
        Assert.Matches(@"Einlagen\s+120\n", text);
    }

    [Fact]
    public async Task Journal_Csv_HasOneRowPerLine()
    {
        var bytes = await DownloadAsync(Clerk, "/reports/tagesjournal.csv?box=HOL-1&from=2026-11-01&to=2026-11-30", "text/csv; charset=utf-8");

        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Contains("Zeitpunkt;Vorgang;Fach;Dokument;Mitarbeiter/in;Bemerkung", lines);
        Assert.Equal(120, lines.Count(l => Regex.IsMatch(l, @"^\d\d\.11\.2026 \d\d:\d\d;Einlage;\d\d-\d\d;\*{5}\w{4};Jana Neumann;$")));
        Assert.Contains("Tag;Einlagen;Abholungen;Rückholungen;PIN-Neuvergaben;Fristverlängerungen;Service-Öffnungen;Summe", lines);
        Assert.Contains("Einlagen;120", lines);
    }

    [Fact]
    public async Task DestructionProtocol_ListsEmptyingsWithBothStaffMembers_TotalsAndSignatureLines()
    {
        var text = await PdfTextAsync(Supervisor, "/reports/vernichtungsprotokoll.pdf?box=DLZ-1&from=2026-11-01&to=2026-11-20");

        Assert.Contains("Vernichtungsprotokoll", text, StringComparison.Ordinal);
        Assert.Matches(@"18\.11\.2026 09:00\s+12\s+12\s+0\s+Jana Neumann\s+Thomas Berger", text);
        Assert.Matches(@"19\.11\.2026 15:00\s+7\s+8\s+-1\s+Thomas Berger\s+Jana Neumann\s+Ein Ausweis klemmte", text);
        Assert.Matches(@"Leerungen\s+2\n", text);
        Assert.Matches(@"Altausweise gezählt\s+19\n", text);
        Assert.Matches(@"Von der Box gemeldet\s+20\n", text);
        Assert.Matches(@"Differenz\s+-1\n", text);
        Assert.Contains("Zur Vernichtung übergeben: Datum, Name, Unterschrift", text, StringComparison.Ordinal);
        Assert.Contains("Geprüft (Teamleitung): Datum, Unterschrift", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/reports/belegung.pdf", "Bitte eine Box angeben.")]
    [InlineData("/reports/belegung.pdf?box=XYZ-9", "Die Box „XYZ-9“ gibt es nicht.")]
    [InlineData("/reports/tagesjournal.pdf?box=DLZ-1&from=2026-11-20", "Bitte einen Zeitraum angeben (von und bis).")]
    [InlineData("/reports/tagesjournal.pdf?box=DLZ-1&from=20.11.2026&to=2026-11-20", "Das Datum „20.11.2026“ (von) ist ungültig; erwartet wird JJJJ-MM-TT.")]
    [InlineData("/reports/tagesjournal.csv?box=DLZ-1&from=2026-11-21&to=2026-11-20", "Der Zeitraum ist ungültig: „von“ liegt nach „bis“.")]
    [InlineData("/reports/tagesjournal.csv?box=DLZ-1&from=2025-01-01&to=2026-11-20", "Der Zeitraum ist zu lang: höchstens 366 Tage.")]
    [InlineData("/reports/vorgangsauszug.pdf?document=abc", "Die Dokumentangabe ist ungültig.")]
    [InlineData("/reports/vorgangsauszug.pdf?document=00000000-0000-0000-0000-000000000001", "Das Dokument gibt es nicht.")]
    public async Task BadParameters_Answer400_WithAGermanMessage(string url, string message)
    {
        var client = await app.SignedInAsync(Supervisor);

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Anonymous_GetsNoReport()
    {
        var response = await app.CreateBrowserClient().GetAsync("/reports/belegung.pdf?box=DLZ-1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData(Clerk, "vernichtungsprotokoll.pdf?box=DLZ-1&from=2026-11-01&to=2026-11-20", false)]
    [InlineData(Admin, "vorgangsauszug.pdf?document={document}", false)]
    [InlineData(Admin, "belegung.pdf?box=DLZ-1", true)]
    [InlineData(Supervisor, "vorgangsauszug.pdf?document={document}", true)]
    public async Task EachReport_IsPrintedOnlyByRolesThatMay(string email, string report, bool allowed)
    {
        var client = await app.SignedInAsync(email);

        var response = await client.GetAsync("/reports/" + report.Replace("{document}", app.HistoryDocumentId.ToString(), StringComparison.Ordinal));

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            // 403 on the report's address, with the German access-denied page instead of a PDF.
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Zugriff verweigert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Download_IsAnAttachmentThatIsNeverCached()
    {
        var client = await app.SignedInAsync(Clerk);

        var response = await client.GetAsync("/reports/ueberfaellig.pdf?box=DLZ-1");

        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Ueberfaellige-Dokumente_DLZ-1_2026-11-20.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_CanBeLookedAt()
    {
        // Leaves PNGs of each report in TestResults/reports for a person to look at; asserts only that they were written.
        var directory = Path.Combine(RepositoryRoot(), "TestResults", "reports");
        foreach (var (name, url) in new[]
        {
            ("belegung", "/reports/belegung.pdf?box=DLZ-1"),
            ("ueberfaellig", "/reports/ueberfaellig.pdf?box=HOL-1"),
            ("vorgangsauszug", $"/reports/vorgangsauszug.pdf?document={app.HistoryDocumentId}"),
            ("tagesjournal", "/reports/tagesjournal.pdf?box=HOL-1&from=2026-11-01&to=2026-11-30"),
            ("tagesjournal-tag", "/reports/tagesjournal.pdf?box=DLZ-1&from=2026-11-19&to=2026-11-19"),
            ("vernichtungsprotokoll", "/reports/vernichtungsprotokoll.pdf?box=DLZ-1&from=2026-11-01&to=2026-11-20"),
        })
        {
            await PdfTools.SavePngAsync(await DownloadAsync(Supervisor, url), directory, name);
            Assert.True(File.Exists(Path.Combine(directory, $"{name}-1.png")));
        }
    }

    private async Task<string> PdfTextAsync(string email, string url) => await PdfTools.TextAsync(await DownloadAsync(email, url));

    private async Task<byte[]> DownloadAsync(string email, string url, string contentType = "application/pdf")
    {
        var client = await app.SignedInAsync(email);
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static int Index(string text, string value)
    {
        var index = text.IndexOf(value, StringComparison.Ordinal);
        Assert.True(index >= 0, $"\"{value}\" is printed");
        return index;
    }

    private static string RepositoryRoot() =>
        typeof(ReportTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}
