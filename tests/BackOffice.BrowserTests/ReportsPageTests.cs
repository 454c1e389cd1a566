using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

[Collection(DemoAppCollection.Name)]
public class ReportsPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Clerk_ChoosesAReport_DownloadsItsPdf_AndSeesItArrive()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/berichte");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByTestId("report-kind").ClickAsync();
        var options = staff.Page.GetByRole(AriaRole.Option);
        await Assertions.Expect(options).ToHaveTextAsync(["Tagesjournal", "Belegungsbericht", "Überfällige Dokumente", "Vorgangsauszug"]);
        await staff.Page.GetByRole(AriaRole.Option, new() { Name = "Belegungsbericht" }).ClickAsync();
        await Assertions.Expect(staff.Page.GetByTestId("report-about")).ToContainTextAsync("Anzahl nach Zustand und Größe");

        var download = await staff.Page.RunAndWaitForDownloadAsync(() => staff.Page.GetByTestId("download-pdf").ClickAsync());

        Assert.Matches(@"^Belegungsbericht_DLZ-1_\d{4}-\d\d-\d\d\.pdf$", download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(path))[..4]));
        await Assertions.Expect(staff.Page.GetByTestId("report-status")).ToContainTextAsync($"Heruntergeladen: {download.SuggestedFilename}");
        await Browser.ScreenshotAsync(staff.Page, "reports-clerk");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Supervisor_SeesEveryReport_AndAnImpossiblePeriodOffersNoDownload()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("teamleitung@demo.local", path: "/berichte");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByTestId("report-kind").ClickAsync();
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Option)).ToHaveCountAsync(BackOffice.Application.Reports.ReportCatalog.All.Count);
        await staff.Page.GetByRole(AriaRole.Option, new() { Name = "Vernichtungsprotokoll" }).ClickAsync();
        await Assertions.Expect(staff.Page.GetByTestId("download-csv")).ToBeVisibleAsync();

        await staff.Page.GetByTestId("report-from").FillAsync("31.12.2026");
        await staff.Page.GetByTestId("report-from").PressAsync("Tab");

        await Assertions.Expect(staff.Page.GetByTestId("report-problem")).ToContainTextAsync("„von“ liegt nach „bis“");
        await Assertions.Expect(staff.Page.GetByTestId("download-pdf")).ToHaveCountAsync(0);
        Assert.Empty(staff.ConsoleErrors);
    }
}
