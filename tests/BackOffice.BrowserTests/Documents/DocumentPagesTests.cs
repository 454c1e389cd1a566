using System.Net;
using System.Net.Http.Json;
using System.Text;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Documents;

/// <summary>
/// The documents pages on MudBlazor at the clerk's 1366×768, as each role that may open them (clerk, supervisor): no
/// axe-core WCAG 2.1 A/AA violation, nothing cut, and what the walk through the product found, fixed.
/// </summary>
[Collection(DemoAppCollection.Name)]
public class DocumentPagesTests(BrowserFixture fixture)
{
    private const string ApiKey = "development-only-registration-api-key-0001";

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk")]
    [InlineData("teamleitung@demo.local", "supervisor")]
    public async Task DocumentList_FitsTheScreen_HasNoViolations_AndFindsByNameAndAntragsnummer(string email, string role)
    {
        await RegisterAsync($"DOCS-LIST-{role}", role == "clerk" ? "CL1LT0001" : "CL1LT0002", $"Walburga Langenscheidt-{role}");
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync(email, path: "/dokumente");
        await staff.WaitForCircuitAsync();
        var grid = staff.Page.GetByTestId("document-grid");
        // A row of data, not the loading bar's row.
        await Assertions.Expect(grid.Locator("tbody tr.app-doc-clickable").First).ToBeVisibleAsync();
        // The theme came with the page, once.
        await Assertions.Expect(staff.Page.Locator("style.mud-theme-provider")).ToHaveCountAsync(1);

        await Browser.ScreenshotAsync(staff.Page, $"documents-{role}-1366x768");
        await ClerkScreen.AssertNothingCutAsync(grid);
        await Assertions.Expect(grid.GetByRole(AriaRole.Columnheader, new() { Name = "Abholung bis" })).ToBeInViewportAsync();
        await Accessibility.AssertNoViolationsAsync(staff.Page);

        // Names are encrypted in the database; the search finds them anyway, and the Antragsnummer too.
        var search = staff.Page.GetByTestId("document-search");
        await search.FillAsync($"langenscheidt-{role}");
        await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(grid).ToContainTextAsync($"Walburga Langenscheidt-{role}");
        await search.FillAsync($"docs-list-{role}");
        await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(grid).ToContainTextAsync($"Walburga Langenscheidt-{role}");
        await ClerkScreen.AssertNothingCutAsync(grid);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task RegisterForm_HasNoViolations_AndAfterErfassenTheNumberFieldHasTheFocusForTheNextScan()
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/neu");
        await staff.WaitForCircuitAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-register-1366x768");

        await page.GetByTestId("doc-save").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-register-errors-1366x768");

        await page.GetByTestId("doc-number").FillAsync("CF0CV5001");
        await page.GetByTestId("doc-reference").FillAsync("DOCS-FOCUS-1");
        await page.GetByTestId("doc-name").FillAsync("Fokus Probe");
        await page.GetByTestId("doc-birth").FillAsync("01.02.1990");
        await page.GetByTestId("doc-mobile").FillAsync("0170 5550111");
        await page.GetByTestId("doc-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("register-success")).ToContainTextAsync("CF0CV5001");
        await Assertions.Expect(page.GetByTestId("doc-number")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("doc-number")).ToHaveValueAsync("");
        // The next scan goes straight in.
        await page.Keyboard.TypeAsync("CF0CV5002");
        await Assertions.Expect(page.GetByTestId("doc-number")).ToHaveValueAsync("CF0CV5002");
        await Accessibility.AssertNoViolationsAsync(page);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Import_ShowsAntragsnummerAndNameOfRefusedRows_AndAClearedSelectionThrowsNothing()
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/import");
        await staff.WaitForCircuitAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        var csv = string.Join("\n",
            "Antragsnummer;Dokumentart;Dokumentnummer;Name;Geburtsdatum;Mobilnummer;AlteDokumentnummern;Ausgabebox;Barrierefrei",
            "DOCS-IMP-1;Reisepass;CM1PT0001;Ida Import;01.02.1990;0151 2345678;;DLZ-1;nein",
            "DOCS-IMP-2;Reisepass;XYZ;Jonas Zeilenfehler;03.04.1985;0152 3456789;;DLZ-1;");
        var input = page.GetByTestId("import-file");

        await input.SetInputFilesAsync(new FilePayload { Name = "export.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });

        var errors = page.GetByTestId("import-errors");
        await Assertions.Expect(errors.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(errors.Locator("tbody tr")).ToContainTextAsync("DOCS-IMP-2");
        await Assertions.Expect(errors.Locator("tbody tr")).ToContainTextAsync("Jonas Zeilenfehler");
        await Assertions.Expect(errors.Locator("tbody tr")).ToContainTextAsync("Dokumentnummer");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-import-1366x768");

        // Clearing the selection (or cancelling the file dialog) fires a change with no file.
        await input.SetInputFilesAsync(Array.Empty<FilePayload>());
        await page.WaitForTimeoutAsync(500);
        await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task RegisteredDocument_HasEinlegenOnItsPage_WhichOpensTheLoadingWithItScanned_AndTheVerlaufNamesPeople()
    {
        var id = await RegisterAsync("DOCS-LOAD-1", "CK1NL0001", "Egon Einleger");
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync("sachbearbeitung@demo.local", path: $"/dokumente/{id}");
        await staff.WaitForCircuitAsync();

        var timeline = page.GetByTestId("document-timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("(Registrierungssoftware)");
        await Assertions.Expect(timeline).Not.ToContainTextAsync("api:");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-arrived-1366x768");

        await page.GetByTestId("load-document").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dokumente/einlegen\\?nr=CK1NL0001$"));
        await Assertions.Expect(page.GetByTestId("load-documents")).ToContainTextAsync("Egon Einleger");
        await Assertions.Expect(page.GetByTestId("load-proposal")).ToContainTextAsync("Vorgeschlagenes Fach");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-load-scanned-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk")]
    [InlineData("teamleitung@demo.local", "supervisor")]
    public async Task MobileNumberChange_AsksTheIdentityCheck_AndSaysWhatItDid(string email, string role)
    {
        var id = await RegisterAsync($"DOCS-MOB-{role}", role == "clerk" ? "CM0W10001" : "CM0W10002", "Mona Mobil");
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync(email, path: $"/dokumente/{id}");
        await staff.WaitForCircuitAsync();
        await Accessibility.AssertNoViolationsAsync(page);

        await page.GetByTestId("change-mobile").ClickAsync();
        var dialog = page.GetByTestId("mobile-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.GetByTestId("mobile-input").FillAsync("0176 5550999");
        await page.GetByTestId("mobile-confirm").ClickAsync();
        // Without the identity check the dialog does not close.
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"document-mobile-dialog-{role}-1366x768");
        await page.GetByTestId("mobile-identity").GetByText("Reisepass", new() { Exact = true }).ClickAsync();
        await page.GetByTestId("mobile-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Mobilnummer geändert");
        await Assertions.Expect(page.GetByTestId("document-mobile")).ToContainTextAsync("999");
        await Assertions.Expect(page.GetByTestId("document-timeline")).ToContainTextAsync("Mobilnummer geändert (Identität geprüft: Reisepass vorgelegt).");
        await Assertions.Expect(page.GetByTestId("document-timeline")).Not.ToContainTextAsync("staff:");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk")]
    [InlineData("teamleitung@demo.local", "supervisor")]
    public async Task OverdueList_HasNoViolations(string email, string role)
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync(email, path: "/ueberfaellig");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(staff.Page.GetByTestId("overdue-list")).ToBeVisibleAsync();

        await Browser.ScreenshotAsync(staff.Page, $"overdue-{role}-1366x768");
        await ClerkScreen.AssertNothingCutAsync(staff.Page.GetByTestId("overdue-list"));
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        Assert.Empty(staff.ConsoleErrors);
    }

    private async Task<Guid> RegisterAsync(string reference, string number, string name)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var response = await http.PostAsJsonAsync("/api/v1/documents", new
        {
            type = "Passport", documentNumber = number, holderName = name, dateOfBirth = "1979-04-01",
            mobileNumber = "+49 170 5550100", applicationReference = reference, boxCode = "DLZ-1",
        });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("id").GetGuid();
    }
}
