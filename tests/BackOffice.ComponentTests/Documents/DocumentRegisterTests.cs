using BackOffice.Application.Boxes;
using BackOffice.Application.Documents;
using BackOffice.Domain.Staff;
using BackOffice.Web.Components.Pages.Documents;

namespace BackOffice.ComponentTests.Documents;

/// <summary>The registration form over the real registration service: each field's message, and ready for the next scan.</summary>
public class DocumentRegisterTests : ComponentTest, IClassFixture<AppServices>
{
    public DocumentRegisterTests(AppServices app)
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);
        Services.AddSingleton(app.Services.GetRequiredService<DocumentRegistration>());
        Services.AddSingleton(app.Services.GetRequiredService<BoxAdministration>());
    }

    [Fact]
    public async Task EmptyForm_NamesWhatIsMissing_NextToEachField()
    {
        var page = Rendered();

        await page.Find("[data-testid=doc-save]").ClickAsync(new());

        var errors = page.FindAll(".app-field-error").Select(e => e.TextContent).ToList();
        Assert.Contains(errors, e => e.StartsWith("Die Dokumentnummer hat 9 Zeichen", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Bitte die Antragsnummer angeben", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Bitte den Namen angeben", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Bitte ein gültiges Geburtsdatum angeben", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Bitte eine Mobilnummer angeben", StringComparison.Ordinal));
        Assert.All(page.FindAll(".app-field-error"), e => Assert.Equal("alert", e.GetAttribute("role")));
        Assert.Empty(page.FindAll("[data-testid=register-success]"));
    }

    [Fact]
    public async Task LandlineNumber_IsRefused_TheRestKept()
    {
        var page = Rendered();
        await FillAsync(page, "CRG000001", "BUNIT-REG-1", "Lena Festnetz", "01.02.1990", "0211 123456");

        await page.Find("[data-testid=doc-save]").ClickAsync(new());

        var error = Assert.Single(page.FindAll(".app-field-error"));
        Assert.StartsWith("Bitte eine Mobilnummer angeben, an die eine SMS gehen kann", error.TextContent, StringComparison.Ordinal);
        Assert.Equal("Lena Festnetz", page.Find("[data-testid=doc-name]").GetAttribute("value"));
    }

    [Fact]
    public async Task ValidDocument_IsRegistered_TheFormEmptied_AndTheNumberFieldFocusedForTheNextScan()
    {
        var page = Rendered();
        await FillAsync(page, "crg000002", "BUNIT-REG-2", "Rolf Richtig", "01.02.1990", "0170 5552002");
        var focusCallsBefore = FocusCalls();

        await page.Find("[data-testid=doc-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Dokument CRG000002 ist erfasst.", page.Find("[data-testid=register-success]").TextContent,
            StringComparison.Ordinal));
        Assert.Equal("dokumente/einlegen?nr=CRG000002", page.Find("[data-testid=register-success] a").GetAttribute("href"));
        Assert.Empty(page.FindAll(".app-field-error"));
        Assert.True(string.IsNullOrEmpty(page.Find("[data-testid=doc-number]").GetAttribute("value")));
        Assert.True(string.IsNullOrEmpty(page.Find("[data-testid=doc-name]").GetAttribute("value")));
        page.WaitForAssertion(() => Assert.True(FocusCalls() > focusCallsBefore, "the number field is focused again"));
    }

    /// <summary>The form once it has loaded the boxes (which resets it).</summary>
    private IRenderedComponent<DocumentRegister> Rendered()
    {
        var page = Render<DocumentRegister>();
        page.WaitForAssertion(() => Assert.Contains("DLZ-1", page.Markup, StringComparison.Ordinal));
        return page;
    }

    private int FocusCalls() => JSInterop.Invocations.Count(i => i.Identifier.Contains("focus", StringComparison.OrdinalIgnoreCase));

    private static async Task FillAsync(IRenderedComponent<DocumentRegister> page, string number, string reference, string name, string birth, string mobile)
    {
        await page.Find("[data-testid=doc-number]").ChangeAsync(new ChangeEventArgs { Value = number });
        await page.Find("[data-testid=doc-reference]").ChangeAsync(new ChangeEventArgs { Value = reference });
        await page.Find("[data-testid=doc-name]").ChangeAsync(new ChangeEventArgs { Value = name });
        await page.Find("[data-testid=doc-birth]").ChangeAsync(new ChangeEventArgs { Value = birth });
        await page.Find("[data-testid=doc-mobile]").ChangeAsync(new ChangeEventArgs { Value = mobile });
    }
}
