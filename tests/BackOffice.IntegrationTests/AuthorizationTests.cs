using System.Net;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

public class AuthorizationTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Clerk = "sachbearbeitung@demo.local";
    private const string Supervisor = "teamleitung@demo.local";
    private const string Admin = "admin@demo.local";

    [Theory]
    [InlineData("/")]
    [InlineData("/dokumente")]
    [InlineData("/faecher")]
    [InlineData("/berichte")]
    [InlineData("/verwaltung")]
    [InlineData("/ueberfaellig")]
    [InlineData("/altausweise")]
    [InlineData("/vorgaenge")]
    [InlineData("/service-oeffnung")]
    [InlineData("/protokoll")]
    [InlineData("/datenschutz")]
    public async Task AnonymousCaller_AnyPage_IsSentToTheSignInPage(string path)
    {
        var response = await app.CreateBrowserClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }

    [Theory]
    [InlineData(Clerk, "/", HttpStatusCode.OK)]
    [InlineData(Clerk, "/dokumente", HttpStatusCode.OK)]
    [InlineData(Clerk, "/faecher", HttpStatusCode.OK)]
    [InlineData(Clerk, "/berichte", HttpStatusCode.OK)]
    [InlineData(Clerk, "/verwaltung", HttpStatusCode.Forbidden)]
    [InlineData(Supervisor, "/dokumente", HttpStatusCode.OK)]
    [InlineData(Supervisor, "/verwaltung", HttpStatusCode.Forbidden)]
    [InlineData(Admin, "/verwaltung", HttpStatusCode.OK)]
    [InlineData(Admin, "/dokumente", HttpStatusCode.Forbidden)]
    [InlineData(Clerk, "/ueberfaellig", HttpStatusCode.OK)]
    [InlineData(Clerk, "/altausweise", HttpStatusCode.OK)]
    [InlineData(Clerk, "/service-oeffnung", HttpStatusCode.Forbidden)]
    [InlineData(Supervisor, "/service-oeffnung", HttpStatusCode.OK)]
    [InlineData(Supervisor, "/altausweise", HttpStatusCode.OK)]
    [InlineData(Admin, "/service-oeffnung", HttpStatusCode.OK)]
    [InlineData(Admin, "/altausweise", HttpStatusCode.Forbidden)]
    [InlineData(Clerk, "/protokoll", HttpStatusCode.Forbidden)]
    [InlineData(Supervisor, "/protokoll", HttpStatusCode.OK)]
    [InlineData(Admin, "/protokoll", HttpStatusCode.OK)]
    [InlineData(Clerk, "/datenschutz", HttpStatusCode.Forbidden)]
    [InlineData(Supervisor, "/datenschutz", HttpStatusCode.Forbidden)]
    [InlineData(Admin, "/datenschutz", HttpStatusCode.OK)]
    public async Task SignedInStaff_Page_IsShownOnlyToRolesThatMayUseIt(string email, string path, HttpStatusCode expected)
    {
        var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, email, DemoStaff.Password);

        var response = await client.GetAsync(path);

        // A forbidden page answers 403 where it was asked for (no redirect), with the access-denied page as body.
        Assert.Equal(expected, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Contains("Zugriff verweigert", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Clerk, false)]
    [InlineData(Admin, true)]
    public async Task Navigation_ShowsAdministrationOnlyToAdmins(string email, bool shown)
    {
        var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, email, DemoStaff.Password);

        var html = await (await client.GetAsync("/")).Content.ReadAsStringAsync();

        Assert.Equal(shown, html.Contains("href=\"verwaltung\"", StringComparison.Ordinal));
    }
}
