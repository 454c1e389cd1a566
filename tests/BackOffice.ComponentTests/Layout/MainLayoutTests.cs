using BackOffice.Domain.Staff;
using BackOffice.Web.Components.Layout;
using BackOffice.Web.Security;

namespace BackOffice.ComponentTests.Layout;

/// <summary>The shell around every page: who is signed in, how to sign out, the menu, and MudBlazor's providers once.</summary>
public class MainLayoutTests : ComponentTest
{
    public MainLayoutTests()
    {
        // UserActivity reports browser input to the idle timeout; it has tests of its own (IdleSessionTests, browser tests).
        ComponentFactories.AddStub<UserActivity>();
        // The alarm badge reads the database; it has tests of its own (AlarmBadgeTests).
        ComponentFactories.AddStub<BackOffice.Web.Components.Controls.AlarmBadge>();
        Services.AddScoped<OpenPage>();
    }

    [Fact]
    public void Header_ShowsTheStaffMembersNameAndTheirMostPowerfulRole()
    {
        SignIn("Petra Admin", StaffRoles.Clerk, StaffRoles.Admin);

        var layout = RenderLayout();

        Assert.Equal("Petra Admin", layout.Find("[data-testid=signed-in-user]").TextContent);
        Assert.Equal("Administration", layout.Find(".app-user-role").TextContent);
    }

    [Fact]
    public void SignOut_IsAPlainFormPostToTheLogoutAddress()
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);

        var layout = RenderLayout();

        var form = layout.Find("form[action='/Account/Logout']");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("false", form.GetAttribute("data-enhance"));
        var button = form.QuerySelector("button[type=submit]")!;
        Assert.Equal("Abmelden", button.TextContent.Trim());
        // The page's own id: the sign-out ends the sign-in's other open pages, not this one (it navigates by itself).
        Assert.Equal(Services.GetRequiredService<OpenPage>().Id, form.QuerySelector("input[type=hidden][name=page]")!.GetAttribute("value"));
    }

    [Fact]
    public void MenuButton_HidesAndShowsTheNavigation_AndSaysSo()
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);
        var layout = RenderLayout();
        var toggle = layout.Find("button[aria-controls=app-nav]");
        Assert.Equal("Navigation ein- oder ausblenden", toggle.GetAttribute("aria-label"));
        Assert.Equal("true", toggle.GetAttribute("aria-expanded"));
        Assert.Contains("mud-drawer--open", layout.Find("#app-nav").ClassList);

        toggle.Click();

        Assert.Equal("false", layout.Find("button[aria-controls=app-nav]").GetAttribute("aria-expanded"));
        Assert.Contains("mud-drawer--closed", layout.Find("#app-nav").ClassList);
    }

    [Fact]
    public void Page_IsRenderedInsideTheMainLandmark_WithEachCircuitProviderOnce_AndNoThemeCopy()
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);

        var layout = RenderLayout();

        var main = layout.Find("main");
        Assert.Equal("Seiteninhalt", main.TextContent.Trim());
        // Browser tests wait for this mark before they click (StaffPage.WaitForCircuitAsync).
        Assert.Equal("true", main.GetAttribute("data-interactive"));
        // The theme's CSS comes with the page (App.razor), so no circuit keeps a copy of it.
        Assert.Empty(layout.FindComponents<MudBlazor.MudThemeProvider>());
        Assert.Single(layout.FindComponents<MudBlazor.MudPopoverProvider>());
        Assert.Single(layout.FindComponents<MudBlazor.MudDialogProvider>());
        Assert.Single(layout.FindComponents<MudBlazor.MudSnackbarProvider>());
    }

    private IRenderedComponent<MainLayout> RenderLayout()
    {
        // As in the app: interactive over a Blazor Server circuit.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "Seiteninhalt"))));
    }
}
