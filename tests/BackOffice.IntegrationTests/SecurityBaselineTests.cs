using System.Net;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

public class SecurityBaselineTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task AnyPage_CarriesTheSecurityHeaders()
    {
        var response = await app.CreateBrowserClient().GetAsync("/Account/Login");

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task SignInCookie_IsHttpOnlyAndSameSiteStrict()
    {
        var response = await StaffSession.SubmitLoginAsync(app.CreateBrowserClient(), "sachbearbeitung@demo.local", DemoStaff.Password);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LogoutWithoutAntiforgeryToken_IsRejected()
    {
        var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, "sachbearbeitung@demo.local", DemoStaff.Password);

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }
}

public class ProductionBaselineTests(ProductionAppFactory app) : IClassFixture<ProductionAppFactory>
{
    [Fact]
    public async Task PlainHttp_IsRedirectedToHttps()
    {
        var response = await app.CreateBrowserClient("http://localhost").GetAsync("/Account/Login");

        Assert.True(response.StatusCode == HttpStatusCode.TemporaryRedirect, await response.Content.ReadAsStringAsync());
        Assert.Equal("https", response.Headers.Location?.Scheme);
    }

    [Fact]
    public async Task Https_SendsHstsAndSecureCookies()
    {
        var response = await app.CreateBrowserClient("https://backoffice.example").GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        var antiforgery = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Ausgabebox.Antiforgery=", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Production_SeedsRolesButNoDemoAccounts()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOffice.Infrastructure.Persistence.BackOfficeDbContext>();

        Assert.Equal(3, await db.Roles.CountAsync());
        Assert.Equal(0, await db.Users.CountAsync());
    }
}
