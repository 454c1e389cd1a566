using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>The Kapazitätsprognose page through the real UI: chart and table for DLZ-1, accessible at 1366×768.</summary>
[Collection(DemoAppCollection.Name)]
public class CapacityForecastPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Supervisor_SeesTheChartAndTheTableOfFreeCompartments_ForDlz1()
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync("teamleitung@demo.local", path: "/kapazitaet/DLZ-1");
        await staff.WaitForCircuitAsync();

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kapazitätsprognose");
        var chart = staff.Page.GetByTestId("forecast-chart");
        await Assertions.Expect(chart.Locator("svg").First).ToBeVisibleAsync();
        var table = staff.Page.GetByTestId("forecast-table");
        await Assertions.Expect(table.Locator("thead th")).ToHaveTextAsync(["Tag", "Größe S", "Größe M", "Größe L"]);
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(14);
        // Every cell of the table is a number of free compartments.
        foreach (var cell in await table.Locator("tbody td").AllTextContentsAsync())
        {
            Assert.True(int.TryParse(cell.Trim(), out var free) && free >= 0, $"'{cell}' is no count");
        }
        await Assertions.Expect(staff.Page.GetByTestId("forecast-basis")).ToContainTextAsync("Größe S");

        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, "capacity-forecast-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }
}
