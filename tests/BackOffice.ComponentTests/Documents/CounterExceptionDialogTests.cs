using BackOffice.Domain.Documents;
using BackOffice.Web.Components.Pages.Documents;
using MudBlazor;

namespace BackOffice.ComponentTests.Documents;

/// <summary>
/// The document page's Vollmacht and deadline dialogs: nothing is returned until every field and a proof are given,
/// and the answer is what was typed and chosen (the server validates it again).
/// </summary>
public class CounterExceptionDialogTests : ComponentTest
{
    [Fact]
    public async Task AuthorizationDialog_RefusesWithoutTheFieldsOrAProof_AndReturnsThePersonAndTheProof()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference dialog = null!;
        await provider.InvokeAsync(async () => dialog = await dialogs.ShowAsync<AuthorizationDialog>("Vollmacht erfassen"));
        provider.WaitForElement("[data-testid=authorization-dialog]");

        Assert.Equal(
        [
            "schriftliche Vollmacht mit Ausweiskopie der Inhaberin/des Inhabers", "unterschriebener Vollmachtsvordruck der Stadt",
            "Sorgerecht für die minderjährige Person nachgewiesen", "Betreuerausweis (gerichtlich bestellte Betreuung)",
        ], provider.FindAll("[data-testid=authorization-proof] .mud-radio").Select(r => r.TextContent.Trim()));
        await provider.Find("[data-testid=authorization-confirm]").ClickAsync(new());
        Assert.Contains("Bitte Name, Geburtsdatum und Mobilnummer", provider.Find("[role=alert]").TextContent, StringComparison.Ordinal);

        await provider.Find("#authorized-name").InputAsync(new() { Value = "Paul Bevollmächtigt" });
        await provider.Find("#authorized-birth-date").InputAsync(new() { Value = "31.01.1960" });
        await provider.Find("#authorized-mobile").InputAsync(new() { Value = "0160 5550347" });
        await provider.Find("[data-testid=authorization-confirm]").ClickAsync(new());
        Assert.Equal("Bitte wählen Sie eine Antwort aus.", provider.Find("[role=alert]").TextContent.Trim());
        Assert.False(dialog.Result.IsCompleted);

        await provider.FindAll("[data-testid=authorization-proof] input[type=radio]")[2].ClickAsync(new());
        await provider.Find("[data-testid=authorization-confirm]").ClickAsync(new());

        var input = Assert.IsType<AuthorizationInput>((await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5)))!.Data);
        Assert.Equal(("Paul Bevollmächtigt", "31.01.1960", "0160 5550347", AuthorizationProof.ParentalCustody),
            (input.Person.Name, input.Person.DateOfBirth, input.Person.MobileNumber, input.Proof));
    }

    [Fact]
    public async Task DeadlineExtensionDialog_OffersTheMaximum_RefusesWithoutAReason_AndReturnsDaysAndReason()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference dialog = null!;
        await provider.InvokeAsync(async () => dialog = await dialogs.ShowAsync<DeadlineExtensionDialog>("Abholfrist verlängern",
            new DialogParameters<DeadlineExtensionDialog> { { d => d.MaxDays, 10 }, { d => d.Remaining, 2 } }));
        provider.WaitForElement("[data-testid=extension-dialog]");

        Assert.Contains("noch 2-mal möglich", provider.Find("[data-testid=extension-dialog]").TextContent, StringComparison.Ordinal);
        Assert.Equal("10", provider.Find("#extension-days").GetAttribute("value"));
        await provider.Find("[data-testid=extension-confirm]").ClickAsync(new());
        Assert.Equal("Bitte geben Sie einen Grund an.", provider.Find("[role=alert]").TextContent.Trim());

        await provider.Find("#extension-reason").InputAsync(new() { Value = "Bürgerin im Krankenhaus" });
        await provider.Find("[data-testid=extension-confirm]").ClickAsync(new());

        var input = Assert.IsType<DeadlineExtensionInput>((await dialog.Result.WaitAsync(TimeSpan.FromSeconds(5)))!.Data);
        Assert.Equal(new DeadlineExtensionInput(10, "Bürgerin im Krankenhaus"), input);
    }
}
