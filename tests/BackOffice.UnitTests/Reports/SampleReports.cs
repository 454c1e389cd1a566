using BackOffice.Application.Reports;
using BackOffice.Infrastructure.Reports;
using BackOffice.Infrastructure.Reports.Pdf;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.UnitTests.Reports;

/// <summary>Reports made up in code, and the renderers as the app configures them, for layout tests without a database.</summary>
internal static class SampleReports
{
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 21, 13, 5, 0, TimeSpan.Zero);

    public static PdfReportRenderer Pdf(string? logoPath = "branding/office-logo.png") =>
        new(new OfficeBranding(Options.Create(new OfficeOptions { Name = "Stadt Musterstadt – Bürgerbüro", LogoPath = logoPath }),
            new Environment(RepositoryRoot())));

    public static Report Journal(int rows) => new(
        ReportKind.DailyJournal,
        "Tagesjournal",
        "Box DLZ-1 – Dienstleistungszentrum",
        "Zeitraum 01.11.2026 – 30.11.2026",
        GeneratedAt,
        "Erika Mustermann",
        [
            new ReportTable("Vorgänge",
            [
                new("Zeitpunkt", 1.7), new("Vorgang", 1.6), ReportColumn.Number("Fach", 0.8), new("Dokument", 1.4), new("Mitarbeiter/in", 1.8),
                new("Bemerkung", 3),
            ],
            Enumerable.Range(1, rows).Select(i => new[]
            {
                $"{1 + i % 28:00}.11.2026 10:{i % 60:00}", "Einlage", $"03-{i % 20:00}", "*****H3J4", "Erika Mustermann",
                i % 7 == 0 ? "Eine längere Bemerkung, die in der Spalte umbrechen muss, weil sie nicht in eine Zeile passt." : "",
            }).ToList(), "Keine Vorgänge."),
            new ReportFacts("Summen", [new("Einlagen", ReportFormatting.Number(rows))], IsTotals: true),
            new ReportSignatures(["Datum, Unterschrift 1. Mitarbeiter/in", "Datum, Unterschrift 2. Mitarbeiter/in"]),
        ],
        "Tagesjournal_DLZ-1_2026-11-01_2026-11-30");

    public static byte[] Render(IReportRenderer renderer, Report report)
    {
        using var output = new MemoryStream();
        renderer.Render(report, output);
        return output.ToArray();
    }

    public static string RepositoryRoot() =>
        typeof(SampleReports).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private sealed class Environment(string contentRoot) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "BackOffice.UnitTests";

        public string ContentRootPath { get; set; } = contentRoot;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
