using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>The app, the real bridge process with the lock simulator, and a browser: a live box end to end.</summary>
[Collection(LiveBoxCollection.Name)]
public class LiveBoxTests(LiveBoxFixture fixture)
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

    [Fact]
    public async Task Supervisor_ServiceOpensWithAReason_AndTheOpeningIsListedWithIt()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("teamleitung@demo.local", path: "/service-oeffnung");
        await staff.WaitForCircuitAsync();
        var page = staff.Page;

        await page.GetByTestId("service-label").FillAsync("02-04");
        await page.GetByTestId("service-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("service-message")).ToContainTextAsync("Grund");
        await page.GetByTestId("service-reason").FillAsync("Türsensor prüfen");
        await page.GetByTestId("service-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("service-message")).ToContainTextAsync("Fach 02-04 ist offen.", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("service-recent")).ToContainTextAsync("Türsensor prüfen");
        await Browser.ScreenshotAsync(page, "service-open-supervisor");
        // The simulated box closes the door by itself: the message follows it instead of saying "offen" for good.
        await Assertions.Expect(page.GetByTestId("service-message")).ToContainTextAsync("Fach 02-04 ist wieder geschlossen.", new() { Timeout = 40_000 });
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task BinEmptying_RefusesTheSamePersonTwice_AndRecordsItWithASecondPerson()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/altausweise");
        await staff.WaitForCircuitAsync();
        var page = staff.Page;

        var reported = int.Parse(System.Text.RegularExpressions.Regex.Match(await page.GetByTestId("bin-DLZ-1").GetByTestId("bin-deposits").InnerTextAsync(), @"\d+").Value,
            System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByTestId("bin-DLZ-1").GetByTestId("bin-record").ClickAsync();
        // The count is the people's own, not prefilled with the box's.
        await page.GetByTestId("bin-counted").FillAsync(reported.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("bin-witness").FillAsync("sachbearbeitung@demo.local");
        await page.GetByTestId("bin-password").FillAsync("Demo-Passwort-2026");
        await page.GetByTestId("bin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bin-error")).ToContainTextAsync("Vier-Augen");

        await page.GetByTestId("bin-witness").FillAsync("teamleitung@demo.local");
        await page.GetByTestId("bin-password").FillAsync("Demo-Passwort-2026");
        await page.GetByTestId("bin-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("bin-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("bin-DLZ-1")).ToContainTextAsync("gezählt von Jana Neumann und Thomas Berger");
        Assert.Empty(staff.ConsoleErrors);
    }
}

/// <summary>The issue's "done when": register, load with the real bridge opening and closing the door, PIN by SMS.</summary>
[Collection(LiveBoxCollection.Name)]
public partial class LoadingJourneyTests(LiveBoxFixture fixture)
{
    [Fact]
    public async Task Clerk_RegistersAndLoadsADocument_DocumentReadyAndSmsCarriesAPinMatchingTheHash()
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/neu");
        await staff.WaitForCircuitAsync();

        // A barcode scanner types the number and presses Enter: the form moves on to the name instead of saving, at once,
        // so the clerk typing straight on loses nothing to the number field.
        await page.GetByTestId("doc-number").PressSequentiallyAsync("CF1G2H3J4");
        await page.GetByTestId("doc-number").PressAsync("Enter");
        await page.Keyboard.TypeAsync("Erika Mustermann");
        await Assertions.Expect(page.GetByTestId("doc-name")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("doc-name")).ToHaveValueAsync("Erika Mustermann");
        await Assertions.Expect(page.GetByTestId("doc-number")).ToHaveValueAsync("CF1G2H3J4");
        await page.GetByTestId("doc-reference").FillAsync("A-2026-000815");
        await page.GetByTestId("doc-birth").FillAsync("12.08.1983");
        await page.GetByTestId("doc-mobile").FillAsync("0170 1234567");
        await page.GetByTestId("doc-old").FillAsync("T22000129");
        await page.GetByTestId("doc-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("register-success")).ToContainTextAsync("CF1G2H3J4");

        await page.GetByRole(AriaRole.Link, new() { Name = "Jetzt einlegen" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("load-documents")).ToContainTextAsync("Erika Mustermann");
        await Assertions.Expect(page.GetByTestId("load-proposal")).ToContainTextAsync("Vorgeschlagenes Fach");
        await page.GetByTestId("load-start").ClickAsync();

        // The simulated lock opens the door, then closes it by itself a few seconds later.
        var status = page.GetByTestId("load-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "DoorOpen", new() { Timeout = 20_000 });
        await Browser.ScreenshotAsync(page, "loading-door-open");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });
        await Assertions.Expect(status).ToContainTextAsync("zur Abholung bereit");
        await Browser.ScreenshotAsync(page, "loading-completed");

        await page.GotoAsync("/dokumente");
        await page.GetByTestId("document-grid").GetByRole(AriaRole.Link, new() { Name = "*****H3J4" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("document-state")).ToHaveTextAsync("abholbereit");
        await Assertions.Expect(page.GetByTestId("document-compartment")).Not.ToHaveTextAsync("–");
        await Browser.ScreenshotAsync(page, "document-detail");

        await page.GetByRole(AriaRole.Link, new() { Name = "SMS-Ausgang" }).ClickAsync();
        var outbox = page.GetByTestId("sms-development");
        await Assertions.Expect(outbox).ToContainTextAsync("PIN:", new() { Timeout = 20_000 });
        var text = await outbox.InnerTextAsync();
        var pin = Pin().Match(text).Groups[1].Value;
        await Browser.ScreenshotAsync(page, "sms-outbox");

        await using var connection = new Npgsql.NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("""SELECT "PinHash" FROM documents WHERE "DocumentNumber" = 'CF1G2H3J4'""", connection);
        var hash = (string)(await query.ExecuteScalarAsync())!;
        Assert.True(AppServer.Pins.Verify(pin, hash), $"PIN '{pin}' from the SMS verifies against the stored hash.");

        // The citizen lost the SMS: a new PIN after an identity check; the old hash is replaced.
        await page.GoBackAsync();
        await page.GetByTestId("reissue-pin").ClickAsync();
        await page.GetByTestId("reason-choice").GetByText("Personalausweis", new() { Exact = true }).ClickAsync();
        await Browser.ScreenshotAsync(page, "reissue-pin-identity");
        await page.GetByTestId("reason-confirm").ClickAsync();
        await Assertions.Expect(page.GetByText("Neue PIN ist per SMS unterwegs")).ToBeVisibleAsync();
        await using var again = new Npgsql.NpgsqlCommand("""SELECT "PinHash" FROM documents WHERE "DocumentNumber" = 'CF1G2H3J4'""", connection);
        Assert.False(AppServer.Pins.Verify(pin, (string)(await again.ExecuteScalarAsync())!), "The old PIN no longer verifies.");
        Assert.Empty(staff.ConsoleErrors);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"PIN: (\d{6})")]
    private static partial System.Text.RegularExpressions.Regex Pin();
}
