using System.Text;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

[Collection(DemoAppCollection.Name)]
public class DocumentFormTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Clerk_SavesAnIncompleteForm_SeesWhatIsWrongPerField()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/neu");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByTestId("doc-number").FillAsync("ABC");
        await staff.Page.GetByTestId("doc-mobile").FillAsync("0211 123456");
        await staff.Page.GetByTestId("doc-save").ClickAsync();

        await Assertions.Expect(staff.Page.GetByText("Die Dokumentnummer hat 9 Zeichen")).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByText("Bitte eine Mobilnummer angeben, an die eine SMS gehen kann")).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByText("Bitte den Namen angeben")).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByTestId("register-success")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(staff.Page, "document-form-errors");
    }

    [Fact]
    public async Task Clerk_ImportsACsvExport_SeesTheRowsTakenAndEachRefusedRow()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/import");
        await staff.WaitForCircuitAsync();
        var csv = string.Join("\n",
            "Antragsnummer;Dokumentart;Dokumentnummer;Name;Geburtsdatum;Mobilnummer;AlteDokumentnummern;Ausgabebox;Barrierefrei",
            "UI-1;Reisepass;C9FGH2345;Anna Becker;01.02.1990;0151 2345678;;DLZ-1;nein",
            "UI-2;Personalausweis;C9FGH2346;Ben <script>alert(1)</script> Koch;03.04.1985;0152 3456789;;HOL-1;ja",
            "UI-3;Reisepass;C9FGH2347;Clara Wolf;31.02.1990;0151 2345678;;DLZ-1;");

        await staff.Page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "export.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv),
        });

        var report = staff.Page.GetByTestId("import-report");
        await Assertions.Expect(report).ToContainTextAsync("3 Zeilen: 1 übernommen, 0 bereits vorhanden, 2 abgelehnt");
        // A name with markup is refused with its line (and would be shown as text anyway: Security/ScriptInNamesTests).
        await Assertions.Expect(report).ToContainTextAsync("Der Name enthält unzulässige Zeichen");
        await Assertions.Expect(report).ToContainTextAsync("Geburtsdatum");
        await staff.Page.GotoAsync("/dokumente");
        await Assertions.Expect(staff.Page.GetByTestId("document-grid")).ToContainTextAsync("Anna Becker");
        Assert.Empty(staff.ConsoleErrors);
    }
}
