using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Staff;
using BackOffice.Web.Components.Pages;
using BackOffice.Web.Reports;
using MudBlazor;

namespace BackOffice.ComponentTests.Pages;

/// <summary>
/// Berichte: only the reports the role may print, the form each report needs, the problem in German instead of a
/// download that would fail, and download links that carry exactly what was chosen.
/// </summary>
public class ReportsPageTests : ComponentTest
{
    private static readonly Guid DocumentId = Guid.Parse("6f1c1f5e-5d0a-4f7e-9b7a-2c1d3e4f5a6b");

    private readonly FakeLookups _lookups = new();
    private IRenderedComponent<MudPopoverProvider>? _popovers;

    public ReportsPageTests()
    {
        // 14 July 2026, 10:00 in Berlin.
        Services.AddSingleton<TimeProvider>(new FixedClock(new DateTimeOffset(2026, 7, 14, 8, 0, 0, TimeSpan.Zero)));
        Services.AddSingleton<OfficeClock>();
        Services.AddSingleton<IReportLookups>(_lookups);
    }

    [Fact]
    public void Clerk_GetsTheFirstReportForTheFirstBoxAndToday_AsPdfAndCsvLinks()
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);

        var page = RenderPage();

        Assert.Equal("Tagesjournal", Value(page, "report-kind"));
        Assert.Equal("DLZ-1", Value(page, "report-box"));
        Assert.Equal("/reports/tagesjournal.pdf?box=DLZ-1&from=2026-07-14&to=2026-07-14", page.Find("[data-testid=download-pdf]").GetAttribute("href"));
        Assert.Equal("/reports/tagesjournal.csv?box=DLZ-1&from=2026-07-14&to=2026-07-14", page.Find("[data-testid=download-csv]").GetAttribute("href"));
        Assert.Equal("PDF herunterladen", page.Find("[data-testid=download-pdf]").TextContent.Trim());
    }

    [Theory]
    [InlineData(StaffRoles.Clerk, new[] { "Tagesjournal", "Belegungsbericht", "Überfällige Dokumente", "Vorgangsauszug" })]
    [InlineData(StaffRoles.Supervisor, new[] { "Tagesjournal", "Belegungsbericht", "Überfällige Dokumente", "Vernichtungsprotokoll", "Vorgangsauszug", "Bestandsprotokoll" })]
    public void EachRole_IsOfferedOnlyTheReportsItMayPrint(string role, string[] expected)
    {
        SignIn("Someone Else", role);

        var page = RenderPage();
        OpenKinds(page);

        Assert.Equal(expected, OpenOptions());
    }

    [Fact]
    public void AReversedPeriod_SaysSoInGerman_AndOffersNoDownload()
    {
        SignIn("Thomas Berger", StaffRoles.Supervisor);
        var page = RenderPage();

        page.Find("[data-testid=report-from]").Change("31.12.2026");

        page.WaitForAssertion(() => Assert.Contains("„von“ liegt nach „bis“", page.Find("[data-testid=report-problem]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=download-pdf]"));
    }

    [Fact]
    public void DocumentHistory_FindsTheDocumentByItsNumber_AndLinksItsHistory()
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);
        _lookups.Documents["CF1G2H3J4"] = new DocumentReference(DocumentId, DocumentType.Passport, "CF1G2H3J4", "DLZ-1");
        var page = RenderPage();
        Choose(page, "Vorgangsauszug");

        Assert.Contains("Bitte", page.Find("[data-testid=report-problem]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=report-document]").Change("XX");
        page.Find("form.app-report-find").Submit();
        page.WaitForAssertion(() => Assert.Equal("Bitte eine gültige Dokumentnummer eingeben (9 Zeichen).", page.Find("[data-testid=report-problem]").TextContent.Trim()));

        page.Find("[data-testid=report-document]").Change("cf1g 2h3j4");
        page.Find("form.app-report-find").Submit();

        page.WaitForAssertion(() => Assert.Contains("*****H3J4", page.Find("[data-testid=report-document-found]").TextContent, StringComparison.Ordinal));
        Assert.Equal($"/reports/vorgangsauszug.pdf?document={DocumentId}", page.Find("[data-testid=download-pdf]").GetAttribute("href"));
    }

    [Fact]
    public void SomeoneWithoutAReportRole_IsToldSo()
    {
        SignIn("Nobody");

        var page = RenderPage();

        Assert.NotEmpty(page.Find("[data-testid=reports-none]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=download-pdf]"));
    }

    private IRenderedComponent<Reports> RenderPage()
    {
        _popovers = Render<MudPopoverProvider>();
        return Render<Reports>();
    }

    // MudBlazor puts the test id on the field's input element (a select of texts shows its value as the element's text).
    private static string Value(IRenderedComponent<Reports> page, string testId)
    {
        var field = page.Find($"[data-testid={testId}]");
        return field.GetAttribute("value") ?? field.TextContent.Trim();
    }

    /// <summary>The open list's entries, from the popover host where MudBlazor renders them.</summary>
    private IReadOnlyList<string> OpenOptions() =>
        _popovers!.FindAll(".mud-popover-open [role=option]").Select(i => i.TextContent.Trim()).ToList();

    private void OpenKinds(IRenderedComponent<Reports> page)
    {
        page.Find("[data-testid=report-kind]").Closest(".mud-input-control")!.MouseDown();
        _popovers!.WaitForAssertion(() => Assert.NotEmpty(OpenOptions()));
    }

    private void Choose(IRenderedComponent<Reports> page, string name)
    {
        OpenKinds(page);
        _popovers!.FindAll(".mud-popover-open [role=option]").Single(i => i.TextContent.Trim() == name).Click();
        page.WaitForAssertion(() => Assert.Equal(name, Value(page, "report-kind")));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class FakeLookups : IReportLookups
    {
        public Dictionary<string, DocumentReference> Documents { get; } = [];

        public Task<IReadOnlyList<string>> BoxCodesAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>(["DLZ-1", "HOL-1"]);

        public Task<DocumentReference?> FindDocumentAsync(string documentNumber, CancellationToken cancellationToken = default) =>
            Task.FromResult(Documents.GetValueOrDefault(documentNumber));
    }
}
