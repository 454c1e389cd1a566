using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Components.Pages.Documents;
using MudBlazor;

namespace BackOffice.ComponentTests.Documents;

/// <summary>
/// The PIN reissue dialog as the document page opens it (<see cref="DocumentDetail.IdentityChoices"/> through
/// <see cref="OfficeDialogs.AskReasonAsync"/>): the identity documents to pick from, no answer without one, the choice returned.
/// </summary>
public class PinReissueDialogTests : ComponentTest
{
    [Fact]
    public async Task OffersTheIdentityDocuments_RefusesToConfirmWithoutOne_AndReturnsTheChosenOne()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        Task<string?> answer = null!;
        // Not awaited here: the answer comes when the dialog closes.
        await provider.InvokeAsync(() =>
        {
            answer = dialogs.AskReasonAsync("Neue PIN senden",
                "Welches Dokument hat die Person zur Prüfung ihrer Identität vorgelegt?", DocumentDetail.IdentityChoices);
        });
        provider.WaitForElement("[data-testid=reason-choice]");

        var radios = provider.FindAll("[data-testid=reason-choice] .mud-radio");
        Assert.Equal(["Personalausweis", "Reisepass", "Aufenthaltstitel", "anderes amtliches Lichtbilddokument"],
            radios.Select(r => r.TextContent.Trim()));
        await provider.Find("[data-testid=reason-confirm]").ClickAsync(new());
        Assert.Contains(provider.FindAll("[role=alert]"), a => a.TextContent.Trim().Length > 0);
        Assert.False(answer.IsCompleted);

        await provider.FindAll("[data-testid=reason-choice] input[type=radio]")[1].ClickAsync(new());
        await provider.Find("[data-testid=reason-confirm]").ClickAsync(new());

        Assert.Equal("Passport", await answer.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
