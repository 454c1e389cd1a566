using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace BackOffice.BrowserTests;

/// <summary>Offene Vorgänge as a clerk sees it at 1366×768: a compartment to check, and the check confirmed.</summary>
[Collection(DemoAppCollection.Name)]
public class OpenOperationsTests(BrowserFixture fixture)
{
    private const string Reason = "Die Box meldete die Tür offen, ohne dass eine Öffnung erwartet war. Bitte Inhalt prüfen.";

    [Fact]
    public async Task Clerk_SeesACompartmentToCheck_WithTheBoxReports_AndConfirmsItWithANote()
    {
        await MarkForCheckAsync("DLZ-1", "07-11");
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByRole(AriaRole.Link, new() { Name = "Offene Vorgänge" }).ClickAsync();

        var row = staff.Page.GetByTestId("open-ops").Locator("tr", new() { HasText = "07-11" });
        await Assertions.Expect(row).ToContainTextAsync("Fach prüfen");
        await Assertions.Expect(row).ToContainTextAsync(Reason);
        await Browser.ScreenshotAsync(staff.Page, "open-operations-clerk");
        // The action is within the 1366 px screen, not cut off at the grid's edge.
        var button = row.GetByTestId("open-op-complete");
        var box = await button.BoundingBoxAsync();
        Assert.True(box is not null && box.X + box.Width <= 1366, $"the confirm button ends at {box?.X + box?.Width} px");

        await row.GetByTestId("open-op-note").FillAsync("leer, Tür war nur angelehnt");
        await button.ClickAsync();

        await Assertions.Expect(staff.Page.GetByTestId("open-ops-message")).ToContainTextAsync("Festgehalten.");
        await Assertions.Expect(staff.Page.GetByTestId("open-ops").Locator("tr", new() { HasText = "07-11" })).ToHaveCountAsync(0);
        Assert.Null(await CheckReasonAsync("DLZ-1", "07-11"));
        Assert.Empty(staff.ConsoleErrors);
    }

    private async Task MarkForCheckAsync(string box, string label)
    {
        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            UPDATE compartments SET "CheckRequiredSince" = now(), "CheckReason" = @reason
            WHERE "Label" = @label AND "BoxId" = (SELECT "Id" FROM boxes WHERE "Code" = @box)
            """, connection);
        command.Parameters.AddWithValue("reason", Reason);
        command.Parameters.AddWithValue("label", label);
        command.Parameters.AddWithValue("box", box);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<string?> CheckReasonAsync(string box, string label)
    {
        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT "CheckReason" FROM compartments
            WHERE "Label" = @label AND "BoxId" = (SELECT "Id" FROM boxes WHERE "Code" = @box)
            """, connection);
        command.Parameters.AddWithValue("label", label);
        command.Parameters.AddWithValue("box", box);
        return await command.ExecuteScalarAsync() as string;
    }
}
