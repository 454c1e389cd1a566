using System.Reflection;
using BackOffice.BrowserTests.Infrastructure;
using BackOffice.Testing;
using BackOffice.Testing.Browsers;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>
/// The app in a directory mode with the real test provider (tests/oidc-provider) beside it: the app registers with
/// its own address, trusts the provider's self-signed certificate, and maps the plain provider's groups to roles.
/// </summary>
public abstract class DirectoryAppFixture(Chromium chromium) : BrowserFixture(chromium)
{
    private static readonly string RepositoryRoot = typeof(DirectoryAppFixture).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public OidcTestProvider Provider { get; private set; } = null!;

    protected abstract string Mode { get; }

    public override async ValueTask InitializeAsync()
    {
        Provider = await OidcTestProvider.StartAsync(RepositoryRoot);
        var address = AppServer.NewBaseAddress();
        var origin = address.GetLeftPart(UriPartial.Authority);
        var entra = Mode == "EntraId";
        var client = await Provider.RegisterAsync(entra ? Provider.EntraIssuer : Provider.PlainIssuer,
            [$"{origin}/signin-oidc"], [$"{origin}/signout-callback-oidc"]);
        var settings = new Dictionary<string, string>
        {
            ["Authentication__Mode"] = Mode,
            ["Authentication__TrustedCertificatePath"] = Provider.CertificatePath,
        };
        if (entra)
        {
            settings["Authentication__EntraId__Instance"] = Provider.EntraInstance;
            settings["Authentication__EntraId__TenantId"] = Provider.TenantId;
            settings["Authentication__EntraId__ClientId"] = client.ClientId;
            settings["Authentication__EntraId__ClientSecret"] = client.ClientSecret;
        }
        else
        {
            settings["Authentication__Oidc__Authority"] = Provider.PlainIssuer;
            settings["Authentication__Oidc__ClientId"] = client.ClientId;
            settings["Authentication__Oidc__ClientSecret"] = client.ClientSecret;
            foreach (var (group, role) in DirectoryUser.RoleMap)
            {
                settings[$"Authentication__RoleMap__{group}"] = role;
            }
        }
        await StartServerAsync(settings, address);
    }

    public async Task<StaffPage> NewDirectoryPageAsync()
    {
        // The test browser accepts the provider's self-signed certificate; the app itself trusts exactly that one.
        var options = HeadlessChromium.StaffContext(Server.BaseAddress);
        options.IgnoreHTTPSErrors = true;
        var context = await Browser.NewContextAsync(options);
        return new StaffPage(await context.NewPageAsync());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
    }
}

public sealed class OidcAppFixture(Chromium chromium) : DirectoryAppFixture(chromium)
{
    protected override string Mode => "Oidc";
}

public sealed class EntraIdAppFixture(Chromium chromium) : DirectoryAppFixture(chromium)
{
    protected override string Mode => "EntraId";
}

/// <summary>
/// Staff sign in through the provider's own login page, as each role, in one mode; sign-out ends the provider's session
/// too, so the next sign-in asks for the password again.
/// </summary>
public abstract class DirectorySignInWalk<TFixture>(TFixture fixture) where TFixture : DirectoryAppFixture
{
    protected TFixture Fixture => fixture;

    protected async Task WalkAsync(string screenshot)
    {
        foreach (var (user, roleLabel) in new[]
                 {
                     (DirectoryUser.Clerk, "Sachbearbeitung"),
                     (DirectoryUser.Supervisor, "Teamleitung"),
                     (DirectoryUser.Admin, "Administration"),
                 })
        {
            await using var staff = await fixture.NewDirectoryPageAsync();
            var page = staff.Page;
            await page.GotoAsync("/");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung" })).ToBeVisibleAsync();
            if (user == DirectoryUser.Clerk)
            {
                await Accessibility.UseClerkScreenAsync(page);
                await Accessibility.AssertNoViolationsAsync(page);
                await Browser.ScreenshotAsync(page, $"{screenshot}-1366x768");
            }
            await page.GetByRole(AriaRole.Link, new() { Name = "Mit dem Dienstkonto anmelden" }).ClickAsync();
            await SignInAtProviderAsync(page, user);

            await staff.WaitForCircuitAsync();
            await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(user.Name);
            await Assertions.Expect(page.Locator(".app-user-role")).ToHaveTextAsync(roleLabel);

            await page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("login-notice")).ToHaveTextAsync("Sie sind abgemeldet.");
            await page.GotoAsync("/");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Mit dem Dienstkonto anmelden" })).ToBeVisibleAsync();

            // The provider's session ended with the app's: the next sign-in asks for the password again.
            await page.GetByRole(AriaRole.Link, new() { Name = "Mit dem Dienstkonto anmelden" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Kennwort")).ToBeVisibleAsync();
            Assert.True(staff.ConsoleErrors.Count == 0, string.Join("\n", staff.ConsoleErrors));
        }
    }

    protected static async Task SignInAtProviderAsync(IPage page, DirectoryUser user)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung am Verzeichnis" })).ToBeVisibleAsync();
        await page.GetByLabel("Benutzername").FillAsync(user.Login);
        await page.GetByLabel("Kennwort").FillAsync(DirectoryUser.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Weiter" }).ClickAsync();
    }
}

public sealed class OidcSignInBrowserTests(OidcAppFixture fixture) : DirectorySignInWalk<OidcAppFixture>(fixture), IClassFixture<OidcAppFixture>
{
    [Fact]
    public Task SignIn_AsEachRole_ThroughTheProvidersLoginPage_AndSignOutEndsTheProviderSession() => WalkAsync("directory-login-oidc");

    /// <summary>
    /// Four-eyes in a directory mode: the second person signs in fresh at the provider in a window of their own (no
    /// password fields at the clerk's screen); the clerk's page shows who confirmed, and the emptying names both.
    /// </summary>
    [Fact]
    public async Task BinEmptying_SecondPersonSignsInFreshInAWindowOfTheirOwn_AndTheEmptyingNamesBoth()
    {
        await using var staff = await Fixture.NewDirectoryPageAsync();
        var page = staff.Page;
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Mit dem Dienstkonto anmelden" }).ClickAsync();
        await SignInAtProviderAsync(page, DirectoryUser.Clerk);
        await staff.WaitForCircuitAsync();
        await page.GotoAsync("/altausweise");
        await staff.WaitForCircuitAsync();
        var card = page.GetByTestId("bin-HOL-1");
        var reported = System.Text.RegularExpressions.Regex.Match(await card.GetByTestId("bin-deposits").InnerTextAsync(), @"\d+").Value;
        await card.GetByTestId("bin-record").ClickAsync();
        await page.GetByTestId("bin-counted").FillAsync(reported);
        Assert.Equal(0, await page.GetByTestId("bin-password").CountAsync());

        var window = await page.RunAndWaitForPopupAsync(() => page.GetByTestId("bin-witness-signin-start").ClickAsync());
        // The provider asks for a password although the clerk's session there is open (prompt=login).
        await SignInAtProviderAsync(window, DirectoryUser.Witness);
        await Assertions.Expect(window.GetByTestId("second-person-result")).ToContainTextAsync("Sie sind als zweite Person angemeldet: Zoe Zeugin");
        await Accessibility.UseClerkScreenAsync(window);
        await Accessibility.AssertNoViolationsAsync(window);
        await Browser.ScreenshotAsync(window, "second-person-done-1366x768");
        await window.CloseAsync();

        await Assertions.Expect(page.GetByTestId("bin-witness-signin-result")).ToContainTextAsync("Bestätigt durch Zoe Zeugin");
        await Accessibility.UseClerkScreenAsync(page);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "bin-emptying-directory-1366x768");
        await page.GetByTestId("bin-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("bin-form")).ToBeHiddenAsync();
        await Assertions.Expect(card).ToContainTextAsync("gezählt von Clara Clerk und Zoe Zeugin");
        // The clerk is still signed in as themselves.
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(DirectoryUser.Clerk.Name);
        Assert.True(staff.ConsoleErrors.Count == 0, string.Join("\n", staff.ConsoleErrors));
    }
}

public sealed class EntraIdSignInBrowserTests(EntraIdAppFixture fixture) : DirectorySignInWalk<EntraIdAppFixture>(fixture), IClassFixture<EntraIdAppFixture>
{
    [Fact]
    public Task SignIn_AsEachRole_ThroughTheProvidersLoginPage_AndSignOutEndsTheProviderSession() => WalkAsync("directory-login-entra-id");
}
