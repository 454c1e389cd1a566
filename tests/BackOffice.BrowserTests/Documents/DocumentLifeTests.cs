using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Documents;

/// <summary>
/// One document's life at the counter with the real bridge and its pickup panel, at 1366×768: loaded by keyboard alone,
/// the loading found again after a reload, the PIN dialog, failed pickups and the lock on the document's page, the
/// lock lifted with identity check and reason, and the page after the handover.
/// </summary>
public partial class DocumentLifeTests(PanelBoxFixture fixture) : IClassFixture<PanelBoxFixture>
{
    private const string ApiKey = "development-only-registration-api-key-0001";

    [Fact]
    public async Task Loading_ByKeyboardAlone_SurvivesAReload_ThenFailedPickupsLockAndHandoverShowOnTheDocument()
    {
        await OpenAroundTheClockAsync();
        var id = await RegisterAsync("CKY2R0001", "Hannelore Tastatur", "0170 5550345");
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/einlegen");
        await staff.WaitForCircuitAsync();

        // Keyboard only: the scan field has the focus; type (as a scanner does) and Enter.
        await Assertions.Expect(page.GetByTestId("load-scan")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("CKY2R0001");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("load-documents")).ToContainTextAsync("Hannelore Tastatur");
        await Assertions.Expect(page.GetByTestId("load-scan")).ToBeFocusedAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "load-proposal-1366x768");
        var start = page.GetByTestId("load-start");
        for (var i = 0; i < 10 && !await start.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        await Assertions.Expect(start).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        var status = page.GetByTestId("load-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", new Regex("^(Opening|DoorOpen)$"), new() { Timeout = 20_000 });
        var heading = await status.GetByRole(AriaRole.Heading).InnerTextAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "load-running-1366x768");

        // A reload (or "back") finds the running loading again: its compartment, its status, its Abbrechen while it runs.
        await page.ReloadAsync();
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/dokumente/einlegen\\?vorgang="));
        await Assertions.Expect(status.GetByRole(AriaRole.Heading)).ToHaveTextAsync(heading);
        // Status and button come from one render, so one look at the page sees both; two looks could straddle the
        // door closing (the box simulator finishes the loading on its own).
        var runningWithoutCancel = await status.EvaluateAsync<bool>(
            "e => ['Opening', 'DoorOpen'].includes(e.dataset.status) && !e.querySelector('[data-testid=load-cancel]')");
        Assert.False(runningWithoutCancel, "A running loading must offer Abbrechen after a reload.");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("load-next")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "load-completed-1366x768");

        var pin = await PinFromSmsAsync(staff, "Hannelore");

        // Two wrong PINs at the box: they show on the document, without what was typed.
        var panel = await page.Context.NewPageAsync();
        var wrongPin = pin == "000000" ? "111111" : "000000";
        for (var i = 0; i < 2; i++)
        {
            await TryPickupAsync(panel, "0170 5550345", wrongPin, "12.08.1983");
        }
        await page.GotoAsync($"/dokumente/{id}");
        await staff.WaitForCircuitAsync();
        var timeline = page.GetByTestId("document-timeline");
        await Assertions.Expect(timeline.Locator("li", new() { HasText = "Abholversuch an der Box abgelehnt: PIN falsch" })).ToHaveCountAsync(2);
        await Assertions.Expect(timeline).ToContainTextAsync("(Box DLZ-1)");
        await Assertions.Expect(timeline).ToContainTextAsync("(Jana Neumann)");
        await Assertions.Expect(timeline).Not.ToContainTextAsync(wrongPin);
        await Assertions.Expect(page.GetByTestId("document-failed-attempts")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("document-pin")).ToContainTextAsync("per SMS versendet am");

        // The PIN reissue dialog.
        await page.GetByTestId("reissue-pin").ClickAsync();
        await Assertions.Expect(page.GetByTestId("reason-choice")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-reissue-pin-dialog-1366x768");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("reason-choice")).ToBeHiddenAsync();

        // Three more: locked. The status says so, and lifting asks who showed which ID and why.
        for (var i = 0; i < 3; i++)
        {
            await TryPickupAsync(panel, "0170 5550345", wrongPin, "12.08.1983");
        }
        await page.ReloadAsync();
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("document-state")).ToHaveTextAsync("gesperrt (Fehlversuche)");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-locked-1366x768");
        await page.GetByTestId("lift-lock").ClickAsync();
        await page.GetByTestId("reason-choice").GetByText("Personalausweis", new() { Exact = true }).ClickAsync();
        await page.GetByTestId("reason-confirm").ClickAsync();
        await page.GetByTestId("reason-input").FillAsync("Person am Schalter ausgewiesen, PIN vertippt");
        await Accessibility.AssertNoViolationsAsync(page);
        await page.GetByTestId("reason-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Sperre nach Fehlversuchen aufgehoben");
        await Assertions.Expect(page.GetByTestId("document-state")).ToHaveTextAsync("abholbereit");
        await Assertions.Expect(timeline).ToContainTextAsync("Identität geprüft: Personalausweis vorgelegt");

        // The handover: afterwards nothing is left to block, the page says when it was picked up.
        await TryPickupAsync(panel, "0170 5550345", pin, "12.08.1983");
        await Assertions.Expect(panel.Locator("body")).ToContainTextAsync("Bitte entnehmen Sie Ihre Dokumente");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await page.ReloadAsync();
            await staff.WaitForCircuitAsync();
        }
        while (await page.GetByTestId("document-picked-up").CountAsync() == 0 && DateTime.UtcNow < deadline);
        await Assertions.Expect(page.GetByTestId("document-state")).ToHaveTextAsync("abgeholt");
        await Assertions.Expect(page.GetByTestId("document-picked-up")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("block")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("document-pin")).Not.ToContainTextAsync("vorgemerkt");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-picked-up-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    private static async Task TryPickupAsync(IPage panel, string phone, string pin, string birthDate)
    {
        await panel.GotoAsync("about:blank");
        await panel.GotoAsync(PanelAddress);
        await panel.Locator("#phone").FillAsync(phone);
        await panel.Locator("#pin").FillAsync(pin);
        await panel.Locator("#birthDate").FillAsync(birthDate);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Abholen" }).ClickAsync();
        await panel.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    private static string PanelAddress { get; set; } = "";

    /// <summary>The PIN from the development SMS outbox (reloaded until the dispatcher sent it).</summary>
    private static async Task<string> PinFromSmsAsync(StaffPage staff, string firstName)
    {
        var rows = staff.Page.GetByTestId("sms-development").Locator("tbody tr", new() { HasText = firstName });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await staff.Page.GotoAsync("/sms");
            await staff.WaitForCircuitAsync();
        }
        while (await rows.CountAsync() == 0 && DateTime.UtcNow < deadline);
        return Pin().Match(await rows.First.InnerTextAsync()).Groups[1].Value;
    }

    private async Task<Guid> RegisterAsync(string number, string name, string mobile)
    {
        PanelAddress = fixture.Server.PanelAddress!.ToString();
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            type = "Passport", documentNumber = number, holderName = name, dateOfBirth = "1983-08-12", mobileNumber = mobile,
            oldDocumentNumbers = Array.Empty<string>(), applicationReference = $"LIFE-{number}", boxCode = "DLZ-1",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The seed's opening hours would make the pickup depend on the hour the test runs at.</summary>
    private async Task OpenAroundTheClockAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""UPDATE boxes SET "OpenAroundTheClock" = true WHERE "Code" = 'DLZ-1'""", connection);
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"PIN: (\d{6})")]
    private static partial Regex Pin();
}
