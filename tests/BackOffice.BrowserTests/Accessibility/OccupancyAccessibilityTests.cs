using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

// Not "...Accessibility": that namespace would hide the Accessibility helper class from every test file.
namespace BackOffice.BrowserTests.A11y;

/// <summary>
/// The occupancy pages at the clerk's 1366×768 with DLZ-1 online: the whole box at once, a small box kept small, the
/// grid by keyboard alone, the overview card and the filters without cut text, an opening followed until the door
/// closes, and axe-core's WCAG 2.1 A/AA rules passed as every role that may open them.
/// </summary>
public class OccupancyAccessibilityTests(LiveBoxFixture fixture) : IClassFixture<LiveBoxFixture>
{
    private const string Clerk = "sachbearbeitung@demo.local";
    private const string Supervisor = "teamleitung@demo.local";
    private const string Admin = "admin@demo.local";

    [Fact]
    public async Task Dashboard_ShowsAll620CompartmentsOfDlz1AtOnce_AndHol1StaysCompact()
    {
        await using var staff = await OpenAsync(Clerk, "/faecher/DLZ-1");
        var page = staff.Page;
        var cells = page.GetByTestId("compartment-grid").GetByRole(AriaRole.Gridcell);
        await Assertions.Expect(cells).ToHaveCountAsync(620);

        var outside = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('[role=gridcell]')].filter(c => {
              const r = c.getBoundingClientRect();
              return r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth || r.width < 12 || r.height < 12;
            }).map(c => c.dataset.label)
            """);
        Assert.True(outside.Length == 0, $"{outside.Length} compartments not fully visible at 1366×768: {string.Join(", ", outside.Take(20))}");
        // The summary sits beside the grid, its top in view.
        var summary = await page.GetByTestId("box-summary-DLZ-1").BoundingBoxAsync();
        Assert.NotNull(summary);
        Assert.True(summary.Y < 200, $"The summary starts at {summary.Y} px.");
        // A compartment's tooltip when pointed at.
        await page.Locator("[data-label='03-04']").HoverAsync();
        await Assertions.Expect(page.Locator("[data-label='03-04']")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^Fach 03-04 \\([SML]"));
        await Browser.ScreenshotAsync(page, "dashboard-dlz-1-1366x768");

        await page.GotoAsync("/faecher/HOL-1");
        await staff.WaitForGridAsync();
        var small = page.GetByTestId("compartment-grid").GetByRole(AriaRole.Gridcell);
        await Assertions.Expect(small).ToHaveCountAsync(80);
        var widest = await page.EvaluateAsync<double>(
            "() => Math.max(...[...document.querySelectorAll('[role=gridcell]')].map(c => c.getBoundingClientRect().width))");
        Assert.True(widest <= 40, $"A HOL-1 cell is {widest} px wide.");
        await Browser.ScreenshotAsync(page, "dashboard-hol-1-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task TheGrid_WorksByKeyboardAlone()
    {
        await using var staff = await OpenAsync(Clerk, "/faecher/DLZ-1");
        var page = staff.Page;
        await Assertions.Expect(page.GetByTestId("compartment-grid").GetByRole(AriaRole.Gridcell)).ToHaveCountAsync(620);

        // Tab from the search field's neighbours reaches the grid once: its one tab stop is the first compartment.
        await page.Locator("[role=gridcell][tabindex='0']").FocusAsync();
        await Assertions.Expect(page.Locator("[data-label='01-01']")).ToBeFocusedAsync();
        var scrolled = await page.EvaluateAsync<double>("() => window.scrollY");
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.Locator("[data-label='02-01']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("[data-label='02-02']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("[data-label='02-03']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("End");
        await Assertions.Expect(page.Locator("[data-label='31-03']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Home");
        await Assertions.Expect(page.Locator("[data-label='01-03']")).ToBeFocusedAsync();
        Assert.Equal(scrolled, await page.EvaluateAsync<double>("() => window.scrollY"));

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("cell-details")).ToContainTextAsync("Fach 01-03");
        // Leaving the grid is one Tab away: the grid is a single tab stop.
        await page.Keyboard.PressAsync("Tab");
        Assert.NotEqual("gridcell", await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('role')"));
        await page.Keyboard.PressAsync("Shift+Tab");
        await Assertions.Expect(page.Locator("[data-label='01-03']")).ToBeFocusedAsync();
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task OverviewCards_AndFilters_ShowTheirTextUncut()
    {
        await using var staff = await OpenAsync(Clerk, "/faecher");
        var page = staff.Page;
        await Assertions.Expect(page.GetByTestId("box-summary-DLZ-1")).ToContainTextAsync("Frei nach Größe");

        // "S 12 M 40 L 93" on one line in every card: "L" and its number never part.
        var lines = await page.EvaluateAsync<int[]>(
            """
            () => [...document.querySelectorAll('[data-testid=free-by-size]')].map(e => {
              const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
              const tops = new Set();
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const range = document.createRange();
                range.selectNodeContents(node);
                for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
              }
              return tops.size;
            })
            """);
        Assert.NotEmpty(lines);
        Assert.All(lines, count => Assert.Equal(1, count));
        await Browser.ScreenshotAsync(page, "occupancy-overview-1366x768");

        await page.GotoAsync("/faecher/DLZ-1");
        await staff.WaitForGridAsync();
        var filters = page.GetByTestId("dashboard-filters");
        await Assertions.Expect(filters.Locator("label").Filter(new() { HasText = "Zustand" })).ToBeVisibleAsync();
        // Pick two states: the field says how many, and nothing of a label or value is cut.
        await page.GetByTestId("filter-state").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "überfällig" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "außer Betrieb" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "frei" })).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Zustand" })).ToHaveValueAsync("2 Zustände");
        var cut = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('[data-testid=dashboard-filters] label, [data-testid=dashboard-filters] input, [data-testid=dashboard-filters] .mud-select-input')]
              .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
              .map(e => e.textContent || e.value)
            """);
        Assert.True(cut.Length == 0, $"Cut in the filters: {string.Join(" | ", cut)}");
        await Assertions.Expect(page.Locator("[role=gridcell]:not(.cell-dimmed)")).Not.ToHaveCountAsync(620);
        await Browser.ScreenshotAsync(page, "dashboard-filtered-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task AServiceOpening_IsFollowedUntilTheDoorClosesAgain()
    {
        await using var staff = await OpenAsync(Supervisor, "/faecher/DLZ-1");
        var page = staff.Page;
        await page.Locator("[data-label='05-04']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cell-details")).ToContainTextAsync("Fach 05-04");

        await page.GetByTestId("cell-service-open").ClickAsync();
        // Opened from the grid: the grid leaves the cursor in the dialog.
        await staff.TypeWhereTheCursorIsAsync(page.GetByTestId("reason-input"), "Sichtprüfung Dashboard");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "dashboard-service-open-dialog-1366x768");
        await page.GetByTestId("reason-confirm").ClickAsync();

        var status = page.GetByTestId("opening-status");
        await Assertions.Expect(status).ToContainTextAsync("Fach 05-04 ist offen.", new() { Timeout = 20_000 });
        await Browser.ScreenshotAsync(page, "dashboard-opening-open-1366x768");
        // The simulated box closes the door by itself; the page says so without a reload.
        await Assertions.Expect(status).ToHaveAttributeAsync("data-stage", "Closed", new() { Timeout = 40_000 });
        await Assertions.Expect(status).ToContainTextAsync("Fach 05-04 ist wieder geschlossen.");
        await Accessibility.AssertNoViolationsAsync(page);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Uebersicht_CallsDocumentsNotYetLoaded_Eingegangen_NotAmSchalter()
    {
        await using var staff = await OpenAsync(Clerk, "/");
        var overview = staff.Page.GetByTestId("box-overview");
        await Assertions.Expect(overview).ToContainTextAsync("DLZ-1");

        // "am Schalter" means taken back out of the box; documents not yet loaded are "eingegangen", as in their status.
        await Assertions.Expect(overview).ToContainTextAsync("Eingegangen");
        await Assertions.Expect(overview).Not.ToContainTextAsync("Am Schalter");
    }

    [Theory]
    [InlineData(Clerk, "clerk")]
    [InlineData(Supervisor, "supervisor")]
    [InlineData(Admin, "admin")]
    public async Task OccupancyPages_HaveNoViolations_AsEachRole(string email, string role)
    {
        await using var staff = await OpenAsync(email, "/faecher");
        var page = staff.Page;
        await Assertions.Expect(page.GetByTestId("box-summary-HOL-1")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);

        await page.GotoAsync("/faecher/DLZ-1");
        await staff.WaitForGridAsync();
        await Assertions.Expect(page.GetByTestId("compartment-grid").GetByRole(AriaRole.Gridcell)).ToHaveCountAsync(620);
        // The charts open on request (a dashboard left open holds no charts).
        await Assertions.Expect(page.GetByTestId("box-charts")).ToHaveCountAsync(0);
        await page.GetByTestId("toggle-charts").ClickAsync();
        await Assertions.Expect(page.GetByTestId("box-charts")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("toggle-charts")).ToHaveAttributeAsync("aria-expanded", "true");
        await Accessibility.AssertNoViolationsAsync(page);

        // A compartment's details with the actions this role has.
        await page.Locator("[data-label='01-01']").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cell-details")).ToContainTextAsync("Fach 01-01");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"dashboard-{role}-1366x768");

        // The state filter open.
        await page.GetByTestId("filter-state").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "abholbereit" })).ToBeVisibleAsync();
        // Checked once faded in: half-way through its transition the list is half transparent.
        await page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.mud-popover-open')].every(e => e.getAnimations({ subtree: true }).length === 0 && getComputedStyle(e).opacity === '1')");
        await Accessibility.AssertNoViolationsAsync(page);
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync("/faecher/HOL-1");
        await staff.WaitForGridAsync();
        await Assertions.Expect(page.GetByTestId("compartment-grid").GetByRole(AriaRole.Gridcell)).ToHaveCountAsync(80);
        await Accessibility.AssertNoViolationsAsync(page);
        Assert.Empty(staff.ConsoleErrors);
    }

    private async Task<StaffPage> OpenAsync(string email, string path)
    {
        var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync(email, path: path);
        if (path.StartsWith("/faecher/", StringComparison.Ordinal))
        {
            await staff.WaitForGridAsync();
        }
        else
        {
            await staff.WaitForCircuitAsync();
        }
        return staff;
    }
}
