using System.Net.Http.Json;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>
/// Issue 21's "done when": a family in one compartment with one SMS and one PIN, picked up in one go at the box's panel;
/// another household's document refused at the loading; an old ID handed back after a refused pickup, not counted.
/// The app, the real bridge process with the lock simulator and its panel page, and a browser.
/// </summary>
public partial class HouseholdJourneyTests(PanelBoxFixture fixture) : IClassFixture<PanelBoxFixture>
{
    private const string ApiKey = "development-only-registration-api-key-0001";

    [Fact]
    public async Task FamilyOfThree_OneCompartmentOneSmsOnePin_AllPickedUpInOnePickupAtThePanel()
    {
        await OpenAroundTheClockAsync();
        // Two adults share one mobile number (written two ways), the child is registered with it too.
        await RegisterAsync("IdCard", "HF1000011", "Erika Mustermann", "1983-08-12", "0170 5550123", "T22000129");
        await RegisterAsync("Passport", "HF1000029", "Max Mustermann", "1980-04-01", "+49 170 5550123", "T22000137");
        await RegisterAsync("ChildPassport", "HF1000037", "Lena Mustermann", "2016-05-05", "0170 5550123", null);
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/einlegen");
        await staff.WaitForCircuitAsync();

        foreach (var number in new[] { "HF1000011", "HF1000029", "HF1000037" })
        {
            await page.GetByTestId("load-scan").FillAsync(number);
            await page.GetByTestId("load-add").ClickAsync();
            await Assertions.Expect(page.GetByTestId("load-documents")).ToContainTextAsync(number);
        }
        await Assertions.Expect(page.GetByTestId("load-message")).ToBeHiddenAsync();
        await page.GetByTestId("load-start").ClickAsync();
        var status = page.GetByTestId("load-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });

        // The SMS page shows what was sent when it loads: reload until the dispatcher has sent the family's SMS, then
        // once more when the outbox holds nothing unsent, so a second or third SMS would show too.
        var outbox = page.GetByTestId("sms-development");
        var familyRows = outbox.Locator("tbody tr", new() { HasText = "PIN:" });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await page.GotoAsync("/sms");
            await staff.WaitForCircuitAsync();
        }
        while (await familyRows.CountAsync() == 0 && DateTime.UtcNow < deadline);
        await Eventually(async () => await ScalarAsync<long>("""SELECT count(*) FROM outgoing_sms WHERE "Status" = 'Pending'""") == 0);
        await page.GotoAsync("/sms");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(familyRows).ToHaveCountAsync(1);
        var sms = await familyRows.InnerTextAsync();
        Assert.Contains("(Personalausweis Erika, Reisepass Max, Kinderreisepass Lena)", sms, StringComparison.Ordinal);
        Assert.Single(Pin().Matches(sms));
        var pin = Pin().Match(sms).Groups[1].Value;
        await Browser.ScreenshotAsync(page, "household-one-sms");

        var panel = await page.Context.NewPageAsync();
        await panel.GotoAsync(fixture.Server.PanelAddress!.ToString());
        await Assertions.Expect(panel.Locator("body")).Not.ToContainTextAsync("optional");
        // Phone and PIN alone: the panel asks for the third factor before it sends anything.
        await panel.Locator("#phone").FillAsync("0170 5550123");
        await panel.Locator("#pin").FillAsync(pin);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Abholen" }).ClickAsync();
        await Assertions.Expect(panel.Locator("body")).ToContainTextAsync("Bitte legen Sie den alten Ausweis in den Einwurf oder geben Sie das Geburtsdatum ein (einer der Personen aus der SMS).");
        // The child's birth date, typed by a parent, opens the family's compartment once.
        await panel.Locator("#phone").FillAsync("0170 5550123");
        await panel.Locator("#pin").FillAsync(pin);
        await panel.Locator("#birthDate").FillAsync("05.05.2016");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Abholen" }).ClickAsync();
        await Assertions.Expect(panel.Locator("body")).ToContainTextAsync("Bitte entnehmen Sie Ihre Dokumente");
        await Browser.ScreenshotAsync(panel, "household-panel-granted");

        // The simulated door closes by itself; then all three are handed over and the compartment is free.
        await Eventually(async () => await ScalarAsync<long>(
            """SELECT count(*) FROM documents WHERE "DocumentNumber" IN ('HF1000011','HF1000029','HF1000037') AND "State" = 'PickedUp'""") == 3);
        Assert.Equal(0L, await ScalarAsync<long>(
            """SELECT count(*) FROM compartments c WHERE c."State" <> 'Free' AND c."Id" IN (SELECT "CompartmentId" FROM documents WHERE "DocumentNumber" = 'HF1000011')"""));
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Loading_AnotherHouseholdsDocument_IsRefusedWithASecondCompartmentSuggestion_UnlessJoinedWithAReason()
    {
        await RegisterAsync("IdCard", "HF2000018", "Anna Schmidt", "1975-01-02", "0171 5550201", null);
        await RegisterAsync("IdCard", "HF2000026", "Jan Becker", "1977-03-04", "0171 5550202", null);
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/einlegen");
        await staff.WaitForCircuitAsync();

        await page.GetByTestId("load-scan").FillAsync("HF2000018");
        await page.GetByTestId("load-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("load-documents")).ToContainTextAsync("Anna Schmidt");
        await page.GetByTestId("load-scan").FillAsync("HF2000026");
        await page.GetByTestId("load-add").ClickAsync();

        var message = page.GetByTestId("load-message");
        await Assertions.Expect(message).ToContainTextAsync("anderen Haushalt");
        await Assertions.Expect(message).ToContainTextAsync("zweiten Fach");
        await Assertions.Expect(page.GetByTestId("load-documents")).Not.ToContainTextAsync("Jan Becker");
        await Browser.ScreenshotAsync(page, "household-refused");

        // They do belong together after all: the clerk joins the document with a reason, which is audited.
        await page.GetByTestId("load-join-household").ClickAsync();
        await staff.TypeWhereTheCursorIsAsync(page.GetByTestId("reason-input"), "Lebenspartner, zwei Mobilnummern");
        await page.GetByTestId("reason-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("load-documents")).ToContainTextAsync("Jan Becker");
        Assert.Equal(1L, await ScalarAsync<long>("""SELECT count(*) FROM audit_entries WHERE "Action" = 'document.household_joined'"""));
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task RefusedPickupWithTheOldId_HandsItBack_AndTheBinCountStaysAtZero()
    {
        await OpenAroundTheClockAsync();
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        var panel = await page.Context.NewPageAsync();
        await panel.GotoAsync(fixture.Server.PanelAddress!.ToString());

        await panel.Locator("#phone").FillAsync("0170 5550999");
        await panel.Locator("#pin").FillAsync("000000");
        await panel.Locator("#oldDocumentNumber").FillAsync("T22000129");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Abholen" }).ClickAsync();
        await Assertions.Expect(panel.Locator("body")).ToContainTextAsync("Die Abholung ist nicht möglich.");
        await Assertions.Expect(panel.Locator("body")).ToContainTextAsync("Bitte entnehmen Sie den alten Ausweis wieder aus dem Einwurf.");
        // The bridge reports the old ID's fate right after the answer: wait until the back office has it.
        await Eventually(async () => await ScalarAsync<long>("""SELECT count(*) FROM old_document_deposits WHERE "Disposition" = 'HandedBack'""") == 1);

        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/altausweise");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("bin-DLZ-1").GetByTestId("bin-deposits")).ToHaveTextAsync(ZeroDeposits());
        // The reconciliation records the handed-back old ID apart from the deposits.
        await page.GetByTestId("bin-reconcile").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bin-handed-back")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("bin-deposits-period")).ToContainTextAsync("0 (0 zugeordnet, 0 ohne Zuordnung)");
        await Browser.ScreenshotAsync(page, "bin-handed-back");
        Assert.Empty(staff.ConsoleErrors);
    }

    private async Task RegisterAsync(string type, string number, string name, string birthDate, string mobile, string? old)
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            type, documentNumber = number, holderName = name, dateOfBirth = birthDate, mobileNumber = mobile,
            oldDocumentNumbers = old is null ? Array.Empty<string>() : [old], applicationReference = $"HJ-{number}", boxCode = "DLZ-1",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The seed's opening hours would make the pickup depend on the hour the test runs at.</summary>
    private Task OpenAroundTheClockAsync() => ScalarAsync<int>("""UPDATE boxes SET "OpenAroundTheClock" = true WHERE "Code" = 'DLZ-1' RETURNING 1""");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 30 s.");
            await Task.Delay(200);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*0\s*$")]
    private static partial System.Text.RegularExpressions.Regex ZeroDeposits();

    [System.Text.RegularExpressions.GeneratedRegex(@"PIN: (\d{6})")]
    private static partial System.Text.RegularExpressions.Regex Pin();
}
