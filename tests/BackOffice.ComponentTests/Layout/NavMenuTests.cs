using BackOffice.Domain.Staff;
using BackOffice.Web.Components.Layout;

namespace BackOffice.ComponentTests.Layout;

/// <summary>The main navigation shows each role exactly the areas its policies open, in the menu's order.</summary>
public class NavMenuTests : ComponentTest
{
    [Theory]
    [InlineData(StaffRoles.Clerk, "Übersicht|Dokumente|Überfällig|Altausweise|Offene Vorgänge|Inventur-Abweichungen|Belegung|Berichte|Alarme|SMS-Ausgang|Zwei-Faktor-Anmeldung")]
    [InlineData(StaffRoles.Supervisor, "Übersicht|Dokumente|Überfällig|Altausweise|Offene Vorgänge|Inventur-Abweichungen|Belegung|Berichte|Alarme|SMS-Ausgang|Kapazitätsprognose|Service-Öffnung|Inventur|Protokoll|Meldungen (Webhooks)|Zwei-Faktor-Anmeldung")]
    [InlineData(StaffRoles.Admin, "Übersicht|Belegung|Berichte|Alarme|Kapazitätsprognose|Service-Öffnung|Inventur|Protokoll|Meldungen (Webhooks)|Verwaltung|Mitarbeiterkonten|Datenschutz|Zwei-Faktor-Anmeldung")]
    public void EachRole_SeesTheAreasItMayOpen(string role, string expected)
    {
        SignIn("Jana Neumann", role);

        var menu = Render<NavMenu>();

        var links = menu.FindAll("nav a").Select(a => a.TextContent.Trim());
        Assert.Equal(expected.Split('|'), links);
    }

    [Fact]
    public void Links_LeadToThePagesAddresses_InsideTheLabelledNavigation()
    {
        SignIn("Admin Person", StaffRoles.Admin, StaffRoles.Clerk);

        var menu = Render<NavMenu>();

        Assert.Equal("Hauptnavigation", menu.Find("nav").GetAttribute("aria-label"));
        var hrefs = menu.FindAll("nav a").ToDictionary(a => a.TextContent.Trim(), a => a.GetAttribute("href"));
        Assert.Equal("dokumente", hrefs["Dokumente"]);
        Assert.Equal("verwaltung", hrefs["Verwaltung"]);
        Assert.Equal("datenschutz", hrefs["Datenschutz"]);
        Assert.Equal("alarme", hrefs["Alarme"]);
        Assert.Equal("webhooks", hrefs["Meldungen (Webhooks)"]);
        Assert.Equal("inventur", hrefs["Inventur"]);
        Assert.Equal("kapazitaet", hrefs["Kapazitätsprognose"]);
        Assert.Equal("verwaltung/konten", hrefs["Mitarbeiterkonten"]);
        Assert.Equal("konto/zwei-faktor", hrefs["Zwei-Faktor-Anmeldung"]);
        Assert.Equal(19, hrefs.Count);
    }

    [Fact]
    public void DirectoryMode_HasNoLocalSecondFactorPage()
    {
        Services.Configure<BackOffice.Web.Security.SingleSignOn.StaffAuthenticationOptions>(o => o.Mode = "Oidc");
        SignIn("Jana Neumann", StaffRoles.Admin);

        var menu = Render<NavMenu>();

        var links = menu.FindAll("nav a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains("Mitarbeiterkonten", links);
        Assert.DoesNotContain("Zwei-Faktor-Anmeldung", links);
    }

    [Fact]
    public void TheCurrentPage_IsMarkedActive()
    {
        SignIn("Jana Neumann", StaffRoles.Clerk);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/dokumente");

        var menu = Render<NavMenu>();

        var active = Assert.Single(menu.FindAll("nav a.active"));
        Assert.Equal("Dokumente", active.TextContent.Trim());
    }

    [Fact]
    public void TheMark_FollowsNavigation_AndInventurIsNotMarkedOnItsDiscrepancies()
    {
        SignIn("Petra Teamleitung", StaffRoles.Supervisor);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/dokumente/neu");
        var menu = Render<NavMenu>();
        Assert.Equal("Dokumente", Assert.Single(menu.FindAll("nav a.active")).TextContent.Trim());

        navigation.NavigateTo("/inventur/abweichungen?box=DLZ-1");

        menu.WaitForAssertion(() => Assert.Equal("Inventur-Abweichungen", Assert.Single(menu.FindAll("nav a.active")).TextContent.Trim()));
        Assert.Equal("page", menu.Find("nav a.active").GetAttribute("aria-current"));
        navigation.NavigateTo("/");
        menu.WaitForAssertion(() => Assert.Equal("Übersicht", Assert.Single(menu.FindAll("nav a.active")).TextContent.Trim()));
    }
}
