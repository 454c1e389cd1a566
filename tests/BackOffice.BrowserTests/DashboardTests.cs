using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>The live occupancy dashboard with the real bridge process: changes arrive without a reload.</summary>
public class DashboardTests(QuickHeartbeatFixture fixture) : IClassFixture<QuickHeartbeatFixture>
{
    [Fact]
    public async Task DoorOpenedAtTheBox_ChangesTheCellWithoutAReload_AndASilentBoxShowsOffline()
    {
        await using var wall = await fixture.NewPageAsync();
        await wall.SignInAsync("teamleitung@demo.local", path: "/faecher/DLZ-1");
        await wall.WaitForGridAsync();
        var dashboard = wall.Page;
        var cell = dashboard.Locator("[data-label='04-02']");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Free");
        await Assertions.Expect(dashboard.GetByTestId("compartment-grid").GetByRole(AriaRole.Gridcell)).ToHaveCountAsync(620);
        // Marks this very page: a reload would lose it.
        await dashboard.EvaluateAsync("() => window.__sameDocument = true");
        // Whoever stands at the wall screen chose that compartment: the choice and the focus stay when its row changes live.
        await Assertions.Expect(dashboard.Locator("[role=gridcell][tabindex='0']")).ToHaveCountAsync(1);
        await cell.ClickAsync();
        await Assertions.Expect(dashboard.GetByTestId("cell-details")).ToContainTextAsync("Fach 04-02");
        await Assertions.Expect(cell).ToBeFocusedAsync();
        // Pointed at, the cell shows its tooltip; a live change rewrites this very element (no node is replaced).
        await cell.HoverAsync();
        await Assertions.Expect(cell).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^Fach 04-02 .*: frei"));
        await cell.EvaluateAsync("c => window.__cell = c");

        // Someone else opens the compartment from another screen; the box reports the door open, then closed.
        await using var supervisor = await fixture.NewPageAsync();
        await supervisor.SignInAsync("teamleitung@demo.local", path: "/service-oeffnung");
        await supervisor.WaitForCircuitAsync();
        await supervisor.Page.GetByTestId("service-label").FillAsync("04-02");
        await supervisor.Page.GetByTestId("service-reason").FillAsync("Prüfung Dashboard");
        await supervisor.Page.GetByTestId("service-submit").ClickAsync();

        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "DoorOpen", new() { Timeout = 20_000 });
        await Assertions.Expect(cell).ToHaveTextAsync("T");
        await Assertions.Expect(dashboard.GetByTestId("cell-state")).ToHaveTextAsync("Tür offen");
        await Assertions.Expect(cell).ToBeFocusedAsync();
        await Assertions.Expect(cell).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(cell).ToHaveAttributeAsync("tabindex", "0");
        await Assertions.Expect(cell).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcell-selected\b"));
        await Assertions.Expect(cell).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^Fach 04-02 .*: Tür offen"));
        Assert.True(await cell.EvaluateAsync<bool>("c => c === window.__cell"), "The cell was replaced instead of rewritten.");
        await Browser.ScreenshotAsync(dashboard, "dashboard-door-open");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Free", new() { Timeout = 30_000 });

        // The box falls silent: after the heartbeat timeout the dashboard says offline, still without a reload.
        await Assertions.Expect(dashboard.GetByTestId("box-connection")).ToHaveAttributeAsync("data-online", "true");
        fixture.Server.KillBridge();
        await Assertions.Expect(dashboard.GetByTestId("box-connection")).ToHaveAttributeAsync("data-online", "false", new() { Timeout = 20_000 });
        Assert.True(await dashboard.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was not reloaded.");
        await Browser.ScreenshotAsync(dashboard, "dashboard-offline");
        Assert.Empty(wall.ConsoleErrors);
    }

    [Fact]
    public async Task Overview_ShowsEveryBoxWithItsOccupancy_AndLinksToItsDashboard()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/faecher");
        await staff.WaitForCircuitAsync();
        var page = staff.Page;

        await Assertions.Expect(page.GetByTestId("box-summary-DLZ-1")).ToContainTextAsync("Frei nach Größe");
        await Assertions.Expect(page.GetByTestId("box-summary-HOL-1")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "DLZ-1" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("compartment-grid").GetByRole(AriaRole.Gridcell)).ToHaveCountAsync(620);

        // Keyboard: the grid's tab stop takes the focus; Enter shows its details.
        await staff.WaitForGridAsync();
        await Assertions.Expect(page.Locator("[data-label='01-01']")).ToHaveAttributeAsync("tabindex", "0");
        await page.Locator("[data-label='01-01']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("cell-details")).ToContainTextAsync("Fach 01-01");
        Assert.Empty(staff.ConsoleErrors);
    }
}
