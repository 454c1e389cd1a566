using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>
/// Has an app of its own: it adds a box (listed first, so the other classes' forms would propose it) and takes a DLZ-1
/// compartment out of service.
/// </summary>
public class BoxAdministrationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_IssuesABridgeKey_SeesItOnceInADialog()
    {
        await using var staff = await SignedInAdminAsync();
        var page = staff.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "HOL-1" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("key-status")).ToContainTextAsync("Noch kein Schlüssel");
        await page.GetByTestId("issue-key").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();

        var key = page.GetByTestId("bridge-key");
        await Assertions.Expect(key).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^abx1_[A-Za-z0-9_-]{43}$"));
        await Browser.ScreenshotAsync(page, "bridge-key-dialog");
        // The dialog's own button, not the title bar's ✕ (also "Schließen").
        await page.Locator(".mud-dialog-actions").GetByRole(AriaRole.Button, new() { Name = "Schließen", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("key-status")).ToContainTextAsync("Schlüssel ausgestellt am");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Admin_TakesACompartmentOutOfService_WithAReason()
    {
        await using var staff = await SignedInAdminAsync();
        var page = staff.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "DLZ-1" }).ClickAsync();
        var firstRow = page.GetByTestId("compartment-grid").Locator("tbody tr").First;
        await Assertions.Expect(firstRow).ToContainTextAsync("01-01");

        await firstRow.GetByRole(AriaRole.Button, new() { Name = "Außer Betrieb nehmen" }).ClickAsync();
        await page.GetByTestId("reason-confirm").ClickAsync();
        await Assertions.Expect(page.GetByText("Bitte geben Sie einen Grund an.")).ToBeVisibleAsync();
        await page.GetByTestId("reason-input").FillAsync("Scharnier defekt");
        await page.GetByTestId("reason-confirm").ClickAsync();

        await Assertions.Expect(firstRow).ToContainTextAsync("außer Betrieb");
        await Assertions.Expect(firstRow).ToContainTextAsync("Scharnier defekt");
        await Browser.ScreenshotAsync(page, "box-dlz1-compartments");
    }

    [Fact]
    public async Task Admin_CreatesABox_FixingWhatTheFormReports()
    {
        await using var staff = await SignedInAdminAsync();
        var page = staff.Page;
        await page.GetByTestId("new-box").ClickAsync();

        await page.GetByTestId("box-code").FillAsync("?");
        await page.GetByTestId("box-save").ClickAsync();
        await Assertions.Expect(page.GetByText("Kürzel: 2 bis 20 Zeichen")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Bitte einen Namen angeben")).ToBeVisibleAsync();

        await page.GetByTestId("box-code").FillAsync("BIL-1");
        await page.GetByTestId("box-name").FillAsync("Bürgerbüro Bilk");
        await page.GetByTestId("box-address").FillAsync("Bachstraße 145, 40217 Düsseldorf");
        await page.GetByTestId("box-save").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ausgabebox BIL-1" })).ToBeVisibleAsync();
        await page.GetByTestId("add-module").ClickAsync();
        await Assertions.Expect(page.GetByText("Module und Fächer (1 Module, 20 Fächer)")).ToBeVisibleAsync();
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Admin_ServiceOpensACompartmentOfABoxThatNeverConnected_IsToldAtOnce()
    {
        await using var staff = await SignedInAdminAsync();
        var page = staff.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "HOL-1" }).ClickAsync();

        await page.GetByTestId("service-open-01-01").ClickAsync();
        await page.GetByTestId("reason-input").FillAsync("Probe");
        await page.GetByTestId("reason-confirm").ClickAsync();

        await Assertions.Expect(page.GetByText("Die Ausgabebox HOL-1 hat sich noch nie gemeldet. Das Fach kann nicht geöffnet werden."))
            .ToBeVisibleAsync();
    }

    private async Task<StaffPage> SignedInAdminAsync()
    {
        var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("admin@demo.local", path: "/verwaltung");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(staff.Page.GetByTestId("box-grid")).ToContainTextAsync("DLZ-1");
        return staff;
    }
}
