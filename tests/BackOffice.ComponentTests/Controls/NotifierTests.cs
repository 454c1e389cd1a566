using BackOffice.Web.Components;
using MudBlazor;

namespace BackOffice.ComponentTests.Controls;

/// <summary>Results told through <see cref="Notifier"/> appear in the layout's snackbar area, errors so nobody misses them.</summary>
public class NotifierTests : ComponentTest
{
    [Fact]
    public void Success_ShowsTitleAndText_AsAPoliteStatus()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var notifier = Services.GetRequiredService<Notifier>();

        snackbars.InvokeAsync(() => notifier.Success("Alle Dienste sind erreichbar.", "Systemstatus"));

        var notice = snackbars.WaitForElement("[data-testid=notice]");
        Assert.Equal("status", notice.GetAttribute("role"));
        Assert.Equal("Systemstatus", notice.QuerySelector(".app-notice-title")!.TextContent);
        Assert.Contains("Alle Dienste sind erreichbar.", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("app-notice-success", snackbars.Find(".mud-snackbar").ClassList);
    }

    [Fact]
    public void Success_FadesOnItsOwn_ButAnErrorStays()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var notifier = Services.GetRequiredService<Notifier>();
        var service = Services.GetRequiredService<ISnackbar>();
        // The layout's few seconds, shortened so the test need not wait for them.
        service.Configuration.VisibleStateDuration = 50;
        service.Configuration.ShowTransitionDuration = 10;
        service.Configuration.HideTransitionDuration = 10;

        snackbars.InvokeAsync(() => notifier.Success("Gespeichert."));
        snackbars.InvokeAsync(() => notifier.Error("Die Box ist offline."));

        snackbars.WaitForAssertion(() => Assert.Single(service.ShownSnackbars), TimeSpan.FromSeconds(5));
        Thread.Sleep(300);
        Assert.Equal("Die Box ist offline.", snackbars.Find("[data-testid=notice]").TextContent.Trim());
    }

    [Fact]
    public void Error_IsAnnouncedAtOnce()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var notifier = Services.GetRequiredService<Notifier>();

        snackbars.InvokeAsync(() => notifier.Error("Die Box ist offline."));

        var notice = snackbars.WaitForElement("[data-testid=notice]");
        Assert.Equal("alert", notice.GetAttribute("role"));
        Assert.Null(notice.QuerySelector(".app-notice-title"));
        Assert.Equal("Die Box ist offline.", notice.TextContent.Trim());
        Assert.Contains("app-notice-error", snackbars.Find(".mud-snackbar").ClassList);
    }

    [Fact]
    public void CloseButton_HasAGermanName_AndRemovesTheNotice()
    {
        var snackbars = Render<MudSnackbarProvider>();
        var notifier = Services.GetRequiredService<Notifier>();
        Services.GetRequiredService<ISnackbar>().Configuration.HideTransitionDuration = 10;
        snackbars.InvokeAsync(() => notifier.Warning("Fach 01-03 ist offen."));

        var close = snackbars.WaitForElement(".mud-snackbar button");
        Assert.Equal("Schließen", close.GetAttribute("aria-label"));
        close.Click();

        // The provider re-renders after the snackbar left the list: both are waited for.
        snackbars.WaitForAssertion(() =>
        {
            Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
            Assert.Empty(snackbars.FindAll("[data-testid=notice]"));
        }, TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(null, "app-notice-success", "Gespeichert.")]
    [InlineData("Das Fach ist nicht frei.", "app-notice-error", "Das Fach ist nicht frei.")]
    public void Result_ReportsSuccessOrTheError(string? error, string kind, string shownText)
    {
        var snackbars = Render<MudSnackbarProvider>();
        var notifier = Services.GetRequiredService<Notifier>();

        snackbars.InvokeAsync(() => notifier.Result(error, "Gespeichert."));

        Assert.Equal(shownText, snackbars.WaitForElement("[data-testid=notice]").TextContent.Trim());
        Assert.Contains(kind, snackbars.Find(".mud-snackbar").ClassList);
    }
}
