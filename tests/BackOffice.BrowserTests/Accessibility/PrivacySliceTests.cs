using System.Net.Http.Json;
using System.Text;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

// In the folder of the slices' page checks; the namespace stays the project's, so "Accessibility" remains the helper class.
namespace BackOffice.BrowserTests;

/// <summary>
/// Protokoll, Datenschutz, SMS-Ausgang and Berichte on MudBlazor at the clerk's 1366×768, as each role that may open them:
/// axe-core's WCAG 2.1 A/AA rules pass, a screenshot is saved, and what the walk of issue 13 found is gone.
/// </summary>
[Collection(DemoAppCollection.Name)]
public class PrivacySliceTests(BrowserFixture fixture)
{
    private const string ApiKey = "development-only-registration-api-key-0001";

    [Theory]
    [InlineData("teamleitung@demo.local", "supervisor", "Thomas Berger")]
    [InlineData("admin@demo.local", "admin", "Andrea Admin")]
    public async Task Protokoll_SpeaksGerman_NamesPeople_BreaksNoWord_AndHasNoViolations(string email, string role, string name)
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync(email, path: "/protokoll");
        await staff.WaitForCircuitAsync();
        var grid = page.GetByTestId("audit-grid");
        await Assertions.Expect(grid.GetByTestId("audit-action-cell").First).ToBeVisibleAsync();
        // The whole trail (start-up settings with long values, sign-ins): no cell breaks a word or spills over, words
        // wrap between words only ("PickedU p", "vorgangsau szug" before).
        var broken = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-testid=audit-grid] td:not(.app-audit-details), [data-testid=audit-grid] th')]
              .filter(c => { const s = getComputedStyle(c); return s.wordBreak === 'break-all' || s.overflowWrap === 'anywhere' || c.scrollWidth > c.clientWidth + 1; })
              .map(c => c.innerText)
            """);
        Assert.Empty(broken);
        // And the grid fits the screen: no sideways scrolling.
        // Layout settles after the first rows paint (the web font, the pager): wait for the grid to fit, then check.
        try
        {
            await page.WaitForFunctionAsync(
                "() => document.fonts.status === 'loaded' && [...document.querySelectorAll('[data-testid=audit-grid] .mud-table-container')].every(c => c.scrollWidth <= c.clientWidth + 1)",
                null, new() { Timeout = 5000 });
        }
        catch (TimeoutException)
        {
            // Still too wide: the check below names the column.
        }
        // It names each column's width and its longest unbreakable word, which is what pushes the grid wider.
        var widths = await page.EvaluateAsync<string>("""
            () => {
              const c = document.querySelector('[data-testid=audit-grid] .mud-table-container');
              const heads = [...c.querySelectorAll('thead th')];
              return `grid ${c.scrollWidth}px in ${c.clientWidth}px; ` + heads.map((h, i) => {
                const words = [...c.querySelectorAll(`tbody tr td:nth-child(${i + 1})`)].flatMap(td => td.innerText.split(/\s+/));
                return `${h.innerText.trim()} ${Math.round(h.getBoundingClientRect().width)}px "${words.reduce((a, w) => w.length > a.length ? w : a, '')}"`;
              }).join('; ');
            }
            """);
        TestContext.Current.TestOutputHelper?.WriteLine(widths);
        Assert.True(await page.EvaluateAsync<bool>(
            "() => { const c = document.querySelector('[data-testid=audit-grid] .mud-table-container'); return c.scrollWidth <= c.clientWidth + 1; }"),
            "The audit grid scrolls sideways: " + widths);
        Assert.DoesNotContain("config.set", await grid.InnerTextAsync(), StringComparison.Ordinal);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"audit-{role}-all-1366x768");

        // Search by a person's name: their own sign-in, worded in German.
        await page.GetByTestId("audit-actor").FillAsync(name.Split(' ')[1]);
        await page.GetByTestId("audit-search").ClickAsync();
        await Assertions.Expect(grid.GetByTestId("audit-actor-cell").First).ToHaveTextAsync(name);
        await Assertions.Expect(grid.GetByTestId("audit-action-cell").Filter(new() { HasText = "Anmeldung" }).First).ToBeVisibleAsync();

        var text = await grid.InnerTextAsync();
        Assert.DoesNotContain("staff:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("timeline.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("staff.signin", text, StringComparison.Ordinal);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"audit-{role}-1366x768");

        // The action filter offers German names only.
        await page.GetByTestId("audit-action").ClickAsync();
        var options = page.GetByRole(AriaRole.Option);
        await PopoverSettledAsync(page);
        await Assertions.Expect(options.Filter(new() { HasText = "Verlauf: abgeholt" })).ToHaveCountAsync(1);
        Assert.DoesNotContain(await options.AllInnerTextsAsync(), o => o.Contains('.', StringComparison.Ordinal) && !o.Contains(' ', StringComparison.Ordinal));
        await Accessibility.AssertNoViolationsAsync(page);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Datenschutz_ReadsAsPeriods_ConfirmsTheRun_NamesWhoRanIt_AndHasNoViolations()
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync("admin@demo.local", path: "/datenschutz");
        await staff.WaitForCircuitAsync();

        await Assertions.Expect(page.GetByTestId("privacy-interval")).ToHaveTextAsync("alle 6 Stunden");
        Assert.DoesNotContain("Privacy__", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "privacy-admin-1366x768");

        // "Löschlauf jetzt starten" asks first; cancelling runs nothing.
        await page.GetByTestId("privacy-run").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("lässt sich nicht rückgängig machen");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "privacy-run-confirm-1366x768");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Abbrechen" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("notice")).ToHaveCountAsync(0);

        await page.GetByTestId("privacy-run").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Jetzt löschen" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Löschlauf beendet");
        await Assertions.Expect(page.GetByTestId("privacy-run-by").First).ToHaveTextAsync("Andrea Admin");
        // Every header and cell of the runs fits ("SMS-Empfänger" was clipped).
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-testid=privacy-runs] th, [data-testid=privacy-runs] td')]
              .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)
            """);
        Assert.Empty(clipped);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Auskunft_DownloadsAGermanPdfAndJson_WithTheNumberInNoAddress_AndSaysWhenNothingIsFound()
    {
        await RegisterAsync("LV1000023", "Jürgen Müßig", "0170 5559872");
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        var addresses = new List<string>();
        page.Request += (_, request) => addresses.Add(request.Url);
        await staff.SignInAsync("admin@demo.local", path: "/datenschutz");
        await staff.WaitForCircuitAsync();

        await page.GetByTestId("privacy-number").FillAsync("C00000000");
        await page.GetByTestId("privacy-export").ClickAsync();
        await Assertions.Expect(page.GetByTestId("privacy-export-problem")).ToContainTextAsync("keine Daten gespeichert");
        await staff.WaitForCircuitAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "privacy-export-not-found-1366x768");

        await page.GetByTestId("privacy-number").FillAsync("LV1000023");
        var pdf = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("privacy-export").ClickAsync());
        Assert.Matches(@"^Auskunft_Art15_\d{4}-\d\d-\d\d\.pdf$", pdf.SuggestedFilename);
        Assert.Equal("%PDF", Encoding.ASCII.GetString((await File.ReadAllBytesAsync((await pdf.PathAsync())!))[..4]));

        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("privacy-export-json").ClickAsync());
        var text = await File.ReadAllTextAsync((await json.PathAsync())!, Encoding.UTF8);
        Assert.Contains("\"name\": \"Jürgen Müßig\"", text, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"eingegangen\"", text, StringComparison.Ordinal);

        Assert.DoesNotContain(addresses, a => a.Contains("LV1000023", StringComparison.OrdinalIgnoreCase)
            || a.Contains("C00000000", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk")]
    [InlineData("teamleitung@demo.local", "supervisor")]
    public async Task SmsAusgang_HasNoViolations(string email, string role)
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync(email, path: "/sms");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(staff.Page.GetByTestId("sms-problems")).ToContainTextAsync("Alle SMS wurden zugestellt.");

        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, $"sms-outbox-{role}-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk", "Vorgangsauszug")]
    [InlineData("teamleitung@demo.local", "supervisor", "Vernichtungsprotokoll")]
    [InlineData("admin@demo.local", "admin", "Belegungsbericht")]
    public async Task Berichte_HasNoViolations_ForEachRolesReports(string email, string role, string report)
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync(email, path: "/berichte");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("report-about")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"reports-{role}-1366x768");

        await page.GetByTestId("report-kind").ClickAsync();
        await PopoverSettledAsync(page);
        await Accessibility.AssertNoViolationsAsync(page);
        await page.GetByRole(AriaRole.Option, new() { Name = report }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("report-kind")).ToHaveValueAsync(report);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"reports-{role}-{report.ToLowerInvariant()}-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    /// <summary>An opened list faded in: half-way through its animation its text is half transparent.</summary>
    private static async Task PopoverSettledAsync(IPage page)
    {
        await page.Locator(".mud-popover-open").First.WaitForAsync();
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.mud-popover-open')].every(e => e.getAnimations({ subtree: true }).length === 0 && getComputedStyle(e).opacity === '1')");
    }

    private async Task RegisterAsync(string number, string name, string mobile)
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            type = "Passport", documentNumber = number, holderName = name, dateOfBirth = "1979-04-01", mobileNumber = mobile,
            oldDocumentNumbers = new[] { "T22000129" }, applicationReference = $"PS-{number}", boxCode = "DLZ-1",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
