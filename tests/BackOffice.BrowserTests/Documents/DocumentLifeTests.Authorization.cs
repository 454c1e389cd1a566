using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Documents;

/// <summary>
/// The counter's exceptions walked through the real UI with the real bridge and its pickup panel (this class's app):
/// a Vollmacht recorded on the document's page, the deadline extended there, and the pickup at the box by the
/// authorised person with their own number, the PIN sent to them and their own birth date.
/// </summary>
public partial class DocumentLifeTests
{
    [Fact]
    public async Task Vollmacht_RecordedOnThePage_DeadlineExtended_ThenTheAuthorisedPersonPicksUpAtTheBox()
    {
        await OpenAroundTheClockAsync();
        var id = await RegisterAsync("CKY2R0002", "Lena Vollmacht", "0170 5550346");
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await Accessibility.UseClerkScreenAsync(page);
        await staff.SignInAsync("sachbearbeitung@demo.local", path: $"/dokumente/{id}");
        await staff.WaitForCircuitAsync();

        // The Vollmacht: the dialog asks for the person and what authorises them.
        await page.GetByTestId("record-authorization").ClickAsync();
        var dialog = page.GetByTestId("authorization-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // The cursor is in the name field: the clerk types at once.
        await staff.TypeWhereTheCursorIsAsync(page.GetByTestId("authorized-name"), "Paul Bevollmächtigt");
        await page.GetByTestId("authorized-birth-date").FillAsync("31.01.1960");
        await page.GetByTestId("authorized-mobile").FillAsync("0160 5550347");
        await page.GetByTestId("authorization-confirm").ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Bitte wählen Sie eine Antwort aus.");
        await dialog.GetByText("unterschriebener Vollmachtsvordruck der Stadt").ClickAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-authorization-dialog-1366x768");
        await page.GetByTestId("authorization-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Vollmacht erfasst");
        await Assertions.Expect(page.GetByTestId("document-authorized")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Paul Bevollmächtigt, geb\. 31\.01\.1960, .*347$"));
        await Assertions.Expect(page.GetByTestId("document-timeline")).ToContainTextAsync("Vollmacht erfasst (unterschriebener Vollmachtsvordruck der Stadt)");
        await Assertions.Expect(page.GetByTestId("revoke-authorization")).ToBeVisibleAsync();

        // Loaded: the SMS with the PIN goes to the authorised person.
        await Assertions.Expect(page.GetByTestId("load-document")).ToBeVisibleAsync();
        await page.GotoAsync("/dokumente/einlegen?nr=CKY2R0002");
        await staff.WaitForCircuitAsync();
        await page.GetByTestId("load-start").ClickAsync();
        await Assertions.Expect(page.GetByTestId("load-status")).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });
        var pin = await PinFromSmsAsync(staff, "Sie sind bevollmächtigt");

        // The deadline, extended with days and a reason; the page and the timeline show it.
        await page.GotoAsync($"/dokumente/{id}");
        await staff.WaitForCircuitAsync();
        var before = await page.GetByTestId("document-deadline").InnerTextAsync();
        await page.GetByTestId("extend-deadline").ClickAsync();
        await Assertions.Expect(page.GetByTestId("extension-dialog")).ToBeVisibleAsync();
        await page.GetByTestId("extension-days").FillAsync("7");
        await page.GetByTestId("extension-reason").FillAsync("Bürgerin im Krankenhaus");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-extend-deadline-dialog-1366x768");
        await page.GetByTestId("extension-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Abholfrist verlängert");
        var extended = DateOnly.ParseExact(before, "dd.MM.yyyy").AddDays(7).ToString("dd.MM.yyyy");
        await Assertions.Expect(page.GetByTestId("document-deadline")).ToHaveTextAsync($"{extended} (1-mal verlängert)");
        await Assertions.Expect(page.GetByTestId("document-timeline")).ToContainTextAsync($"Abholfrist um 7 Tage verlängert bis {extended} (1. Verlängerung): Bürgerin im Krankenhaus");
        // The notice fades in; axe would measure the contrast of a half-transparent text.
        await page.WaitForFunctionAsync("""
            () => [...document.querySelectorAll('[data-testid="notice"]')]
                .every(n => getComputedStyle(n.closest('.mud-snackbar') ?? n).opacity === '1')
            """);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-authorized-extended-1366x768");

        // At the box: the holder's birth date is no factor for the authorised person; their own is.
        var panel = await page.Context.NewPageAsync();
        await TryPickupAsync(panel, "0160 5550347", pin, "12.08.1983");
        await Assertions.Expect(panel.Locator("body")).ToContainTextAsync("Die Abholung ist nicht möglich");
        await TryPickupAsync(panel, "0160 5550347", pin, "31.01.1960");
        await Assertions.Expect(panel.Locator("body")).ToContainTextAsync("Bitte entnehmen Sie Ihre Dokumente");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await page.ReloadAsync();
            await staff.WaitForCircuitAsync();
        }
        while (await page.GetByTestId("document-picked-up").CountAsync() == 0 && DateTime.UtcNow < deadline);
        await Assertions.Expect(page.GetByTestId("document-state")).ToHaveTextAsync("abgeholt");
        await Assertions.Expect(page.GetByTestId("document-picked-up-by")).ToHaveTextAsync("bevollmächtigte Person");
        await Assertions.Expect(page.GetByTestId("document-timeline")).ToContainTextAsync("An der Box an die bevollmächtigte Person übergeben");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "document-picked-up-by-authorized-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }
}
