using BackOffice.Testing;

namespace BackOffice.UnitTests.Reports;

/// <summary>The PDF layout, checked as a reader would: the text pdftotext finds on each page.</summary>
public class PdfReportRendererTests
{
    [Fact]
    public async Task LongTable_BreaksAcrossPages_WithHeaderAndPageNumbersOnEveryPage()
    {
        var pdf = SampleReports.Render(SampleReports.Pdf(), SampleReports.Journal(rows: 150));

        var pages = await PdfTools.PagesAsync(pdf);

        Assert.True(pages.Count >= 3, $"150 rows need several pages, got {pages.Count}.");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Seite {i + 1} von {pages.Count}", pages[i], StringComparison.Ordinal);
            Assert.Contains("Stadt Musterstadt – Bürgerbüro", pages[i], StringComparison.Ordinal);
            Assert.Contains("Erstellt am 21.11.2026 14:05 von Erika Mustermann", pages[i], StringComparison.Ordinal);
            Assert.Contains("Zeitraum 01.11.2026 – 30.11.2026", pages[i], StringComparison.Ordinal);
        }
        // The header row again on each page the table continues on.
        Assert.All(pages.SkipLast(1), page => Assert.Matches(@"Zeitpunkt\s+Vorgang\s+Fach\s+Dokument\s+Mitarbeiter/in\s+Bemerkung", page));
        Assert.Contains("Vorgänge (Fortsetzung)", pages[1], StringComparison.Ordinal);
        Assert.Contains("Summen", pages[^1], StringComparison.Ordinal);
        Assert.Contains("Datum, Unterschrift 2. Mitarbeiter/in", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRow_IsPrintedOnce()
    {
        var pdf = SampleReports.Render(SampleReports.Pdf(), SampleReports.Journal(rows: 120));

        var text = await PdfTools.TextAsync(pdf);

        Assert.Equal(120, System.Text.RegularExpressions.Regex.Matches(text, @"\*\*\*\*\*H3J4").Count);
        // A long note wraps inside its column: its start and its end both printed, on different lines.
        var start = text.IndexOf("Eine längere Bemerkung", StringComparison.Ordinal);
        var end = text.IndexOf("Zeile passt.", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start && text[start..end].Contains('\n', StringComparison.Ordinal), "the note wraps");
    }

    [Fact]
    public async Task Fonts_AreEmbedded()
    {
        var pdf = SampleReports.Render(SampleReports.Pdf(), SampleReports.Journal(rows: 5));

        var fonts = await PdfTools.FontsAsync(pdf);

        var lines = fonts.Split('\n').Skip(2).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains("DejaVu Sans", line, StringComparison.Ordinal));
        // pdffonts' "emb" column: every font is embedded.
        Assert.All(lines, line => Assert.Matches(@"\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line));
    }

    [Fact]
    public async Task ReportsRenderedAtTheSameTime_AreEachComplete()
    {
        var renderer = SampleReports.Pdf();
        var expected = await PdfTools.TextAsync(SampleReports.Render(renderer, SampleReports.Journal(rows: 200)));

        var pdfs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SampleReports.Render(renderer, SampleReports.Journal(rows: 200)))));

        foreach (var pdf in pdfs)
        {
            Assert.Equal(expected, await PdfTools.TextAsync(pdf));
        }
    }

    [Fact]
    public async Task WithoutLogo_StillRenders()
    {
        var pdf = SampleReports.Render(SampleReports.Pdf(logoPath: null), SampleReports.Journal(rows: 3));

        Assert.Contains("Tagesjournal", await PdfTools.TextAsync(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_CanBeLookedAt()
    {
        // Not an assertion on pixels: leaves PNGs in TestResults/reports for a person to look at.
        var pdf = SampleReports.Render(SampleReports.Pdf(), SampleReports.Journal(rows: 60));
        var directory = Path.Combine(SampleReports.RepositoryRoot(), "TestResults", "reports");

        await PdfTools.SavePngAsync(pdf, directory, "sample-journal");

        Assert.True(File.Exists(Path.Combine(directory, "sample-journal-1.png")));
    }
}
