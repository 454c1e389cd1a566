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
    public async Task SignOut_EndsTheSignIn_ACopyOfItsCookieSentJustBefore_IsNotRenewedAndOpensNothing()
    {
        var client = app.CreateBrowserClient();
        var signIn = await StaffSession.SubmitLoginAsync(client, "sachbearbeitung@demo.local", DemoStaff.Password);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal)).Split(';')[0];
        // The page's keep-alive, sent with the cookie as the pointer reached "Abmelden", answered after the sign-out.
        using var late = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        late.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.NoContent, (await late.GetAsync("/Account/KeepAlive")).StatusCode);
        // The same person signed in at another counter.
        var other = app.CreateBrowserClient();
        await StaffSession.SignInAsync(other, "sachbearbeitung@demo.local", DemoStaff.Password);

        Assert.Equal(HttpStatusCode.Redirect, (await StaffSession.SignOutAsync(client)).StatusCode);

        var keepAlive = await late.GetAsync("/Account/KeepAlive");
        Assert.NotEqual(HttpStatusCode.NoContent, keepAlive.StatusCode);
        Assert.DoesNotContain(keepAlive.Headers.TryGetValues("Set-Cookie", out var set) ? set : [],
            c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal) && !c.StartsWith("Ausgabebox.Auth=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await late.GetAsync("/")).StatusCode);
        // Only this sign-in ended: the other counter works on.
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/")).StatusCode);
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

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/health/live")]
    [InlineData("/api/v1/documents")]
    [InlineData("/hubs/box/negotiate?negotiateVersion=1")]
    [InlineData("/gibt-es-nicht")]
    public async Task AnyResponse_CarriesTheSecurityHeaders_AndNoServerBanner(string path)
    {
        var response = await app.CreateBrowserClient("https://backoffice.example").PostOrGetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), "no server banner");
        Assert.False(response.Headers.Contains("X-Powered-By"));
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

/// <summary>Has an account of its own, so it does not share the fixture that proves production seeds none.</summary>
public class ProductionCookieTests(ProductionAppFactory app) : IClassFixture<ProductionAppFactory>
{
    [Fact]
    public async Task SignInAndAntiforgeryCookies_AreSecureHttpOnlyAndSameSiteStrict()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<StaffAccountService>();
            Assert.True((await accounts.CreateAsync("cookie-test@stadt.example", "Cookie Test", DemoStaff.Password, BackOffice.Domain.Staff.StaffRoles.Clerk, "staff:test-admin")).Succeeded);
        }
        var client = app.CreateBrowserClient("https://backoffice.example");

        var signIn = await StaffSession.SubmitLoginAsync(client, "cookie-test@stadt.example", DemoStaff.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal));
        var firstVisit = await app.CreateBrowserClient("https://backoffice.example").GetAsync("/Account/Login");
        var antiforgery = Assert.Single(firstVisit.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith("Ausgabebox.Antiforgery=", StringComparison.Ordinal));
        foreach (var cookie in new[] { auth, antiforgery })
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains("samesite=strict", attributes);
        }
    }
}

internal static class BaselineRequests
{
    /// <summary>POST for the API and the hub's negotiate (their only method), GET for everything else.</summary>
    public static Task<HttpResponseMessage> PostOrGetAsync(this HttpClient client, string path) =>
        path.StartsWith("/api/", StringComparison.Ordinal) || path.Contains("negotiate", StringComparison.Ordinal)
            ? client.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))
            : client.GetAsync(path);
}
