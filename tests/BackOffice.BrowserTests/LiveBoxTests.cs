using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>The app, the real bridge process with the lock simulator, and a browser: a live box end to end.</summary>
public class LiveBoxTests(LiveBoxFixture fixture) : IClassFixture<LiveBoxFixture>
{
    [Fact]
    public async Task Admin_ServiceOpensACompartment_SeesTheBoxReportItOpen()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("admin@demo.local", path: "/verwaltung");
        await staff.WaitForCircuitAsync();
        var page = staff.Page;
        await Assertions.Expect(page.GetByTestId("box-grid").Locator("tr", new() { HasText = "DLZ-1" })).ToContainTextAsync("online");

        await page.GetByRole(AriaRole.Link, new() { Name = "DLZ-1" }).ClickAsync();
        await page.GetByTestId("service-open-01-03").ClickAsync();
        await page.GetByTestId("reason-input").FillAsync("Wartung Schloss");
        await page.GetByTestId("reason-confirm").ClickAsync();

        await Assertions.Expect(page.GetByText("Fach 01-03 ist offen.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Browser.ScreenshotAsync(page, "service-open-live-box");
        Assert.Empty(staff.ConsoleErrors);
    }
}
