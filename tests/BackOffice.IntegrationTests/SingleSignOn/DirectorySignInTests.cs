using System.Net;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using BackOffice.Web.Security.SingleSignOn;

namespace BackOffice.IntegrationTests.SingleSignOn;

/// <summary>
/// Directory sign-in against the real test provider, through the whole code flow: roles from the token (Entra ID app
/// roles) or mapped groups, the staff record, the audit trail, and what is refused (no role, another audience or
/// issuer, a replayed authorization response). The same tests run in both directory modes.
/// </summary>
public abstract class DirectorySignInTests<TApp>(TApp app) where TApp : DirectoryAppFactory
{
    public static TheoryData<string> Roles() => ["Clerk", "Supervisor", "Admin"];

    private static DirectoryUser UserFor(string role) => role switch
    {
        "Clerk" => DirectoryUser.Clerk,
        "Supervisor" => DirectoryUser.Supervisor,
        _ => DirectoryUser.Admin,
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task SignIn_AsEachRole_OpensWhatThatRoleMayAndKeepsAStaffRecord(string role)
    {
        var user = UserFor(role);
        using var browser = app.NewBrowser();

        var callback = await browser.SignInAsync(user, returnUrl: "/berichte");

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.True("/berichte" == callback.Headers.Location?.OriginalString, $"Sent to {callback.Headers.Location}: {await LastRefusalAsync()}");
        var overview = await browser.App.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains(user.Name, await overview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(role == "Admin" ? HttpStatusCode.OK : HttpStatusCode.Forbidden, (await browser.App.GetAsync("/verwaltung")).StatusCode);
        Assert.Equal(role == "Admin" ? HttpStatusCode.Forbidden : HttpStatusCode.OK, (await browser.App.GetAsync("/dokumente")).StatusCode);

        await using var db = await app.NewDbContextAsync();
        var staff = await db.Users.SingleAsync(u => u.DirectoryId == user.ObjectId || u.Email == user.Login);
        Assert.Equal(user.Name, staff.DisplayName);
        Assert.Equal(user.Login, staff.UserName);
        Assert.NotNull(staff.LastSignInAt);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == staff.Id select r.Name).ToListAsync();
        Assert.Equal([role], roles);
        var audit = await db.AuditEntries.Where(a => a.Action == "staff.signin" && a.Subject == $"user:{user.Login}").OrderBy(a => a.Id).LastAsync();
        Assert.Equal("ok", audit.Outcome);
        Assert.Contains($"id {staff.DirectoryId}", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_Twice_UpdatesTheSameStaffRecord()
    {
        using (var first = app.NewBrowser())
        {
            await first.SignInAsync(DirectoryUser.Supervisor);
        }
        await using var before = await app.NewDbContextAsync();
        var record = await before.Users.AsNoTracking().SingleAsync(u => u.Email == DirectoryUser.Supervisor.Login);

        using var second = app.NewBrowser();
        await second.SignInAsync(DirectoryUser.Supervisor);

        await using var after = await app.NewDbContextAsync();
        var records = await after.Users.AsNoTracking().Where(u => u.Email == DirectoryUser.Supervisor.Login).ToListAsync();
        Assert.Single(records);
        Assert.Equal(record.Id, records[0].Id);
        Assert.True(records[0].LastSignInAt >= record.LastSignInAt);
    }

    [Fact]
    public async Task SignIn_WithoutARole_GetsAccessDeniedAndNoSession()
    {
        using var browser = app.NewBrowser();

        var callback = await browser.SignInAsync(DirectoryUser.WithoutRole);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/Account/AccessDenied", callback.Headers.Location?.OriginalString);
        var denied = await browser.App.GetAsync("/Account/AccessDenied");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("Zugriff verweigert", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.App.GetAsync("/")).StatusCode);
        await using var db = await app.NewDbContextAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Email == DirectoryUser.WithoutRole.Login));
        var audit = await db.AuditEntries.Where(a => a.Subject == $"user:{DirectoryUser.WithoutRole.Login}").SingleAsync();
        Assert.Equal(("staff.signin", "no_role"), (audit.Action, audit.Outcome));
        Assert.Contains(DirectoryUser.WithoutRole.ObjectId, audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_TokenForAnotherClient_IsRefused()
    {
        await app.Provider.TamperAsync(app.Client.ClientId, audience: "another-app", issuer: null);
        try
        {
            await AssertRefusedAsync(DirectoryUser.Clerk);
        }
        finally
        {
            await app.Provider.TamperAsync(app.Client.ClientId, null, null);
        }
    }

    [Fact]
    public async Task SignIn_TokenFromAnotherIssuer_IsRefused()
    {
        // Signed with the provider's own key: only the issuer check can tell.
        await app.Provider.TamperAsync(app.Client.ClientId, audience: null, issuer: $"{app.Provider.Origin}00000000-0000-4000-8000-000000000000/v2.0");
        try
        {
            await AssertRefusedAsync(DirectoryUser.Clerk);
        }
        finally
        {
            await app.Provider.TamperAsync(app.Client.ClientId, null, null);
        }
    }

    [Fact]
    public async Task ReplayedAuthorizationResponse_IsRefused()
    {
        using var victim = app.NewBrowser();
        await victim.SignInAsync(DirectoryUser.Clerk);
        var callback = victim.LastCallback!;

        // The same code and state again: in the same browser (its correlation cookie is used up) and in another one.
        var again = await victim.App.GetAsync(callback);
        using var attacker = app.NewBrowser();
        var elsewhere = await attacker.App.GetAsync(callback);

        foreach (var response in new[] { again, elsewhere })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/Account/Login?reason={DirectoryAuthentication.FailedReason}", response.Headers.Location?.OriginalString);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await attacker.App.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheProviderSessionToo()
    {
        using var browser = app.NewBrowser();
        await browser.SignInAsync(DirectoryUser.Supervisor);
        Assert.True(browser.LoginPageShown);

        var signOut = await StaffSession.SignOutAsync(browser.App);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var endSession = signOut.Headers.Location!;
        Assert.StartsWith(app.Issuer, endSession.ToString(), StringComparison.Ordinal);
        // The provider's sign-out page posts itself; the provider then sends the browser back to the app.
        var logoutPage = await browser.ProviderClient.GetAsync(endSession);
        var html = await logoutPage.Content.ReadAsStringAsync();
        var action = System.Text.RegularExpressions.Regex.Match(html, "action=\"([^\"]+)\"").Groups[1].Value;
        var fields = System.Text.RegularExpressions.Regex.Matches(html, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        var ended = await browser.ProviderClient.PostAsync(new Uri(endSession, WebUtility.HtmlDecode(action)), new FormUrlEncodedContent(fields));
        Assert.True((int)ended.StatusCode is >= 300 and < 400, await ended.Content.ReadAsStringAsync());
        Assert.StartsWith($"{DirectoryAppFactory.AppOrigin}/signout-callback-oidc", ended.Headers.Location!.ToString(), StringComparison.Ordinal);
        var back = await browser.App.GetAsync(ended.Headers.Location!.PathAndQuery);
        Assert.Equal($"/Account/Login?reason={DirectoryAuthentication.SignedOutReason}", back.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.App.GetAsync("/")).StatusCode);

        // A new sign-in asks for the password again.
        await browser.SignInAsync(DirectoryUser.Supervisor);
        Assert.True(browser.LoginPageShown);

        await using var db = await app.NewDbContextAsync();
        var audit = await db.AuditEntries.Where(a => a.Action == "staff.signout" && a.Subject == $"user:{DirectoryUser.Supervisor.Login}").SingleAsync();
        Assert.Contains("directory id", audit.Details, StringComparison.Ordinal);
    }

    /// <summary>
    /// The access matrix of the directory modes' sign-in endpoints (the local mode's are in <c>AccessTable</c>): open to
    /// everyone, and none of them signs anybody in without the provider.
    /// </summary>
    [Fact]
    public async Task SignInEndpoints_AreOpenToEveryone_AndSignNobodyInWithoutTheProvider()
    {
        using var anonymous = app.NewBrowser();
        using var clerk = app.NewBrowser();
        await clerk.SignInAsync(DirectoryUser.Clerk);

        foreach (var browser in new[] { anonymous, clerk })
        {
            var challenge = await browser.App.GetAsync(DirectoryAuthentication.ChallengePath);
            Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
            Assert.StartsWith(app.Issuer, challenge.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await browser.App.GetAsync("/Account/Login")).StatusCode);
            // The callbacks without a sign-in the app started: refused, back to the sign-in page.
            var callback = await browser.App.GetAsync("/signin-oidc?code=forged&state=forged");
            Assert.Equal($"/Account/Login?reason={DirectoryAuthentication.FailedReason}", callback.Headers.Location?.OriginalString);
            // The sign-out callback with a state it cannot read does nothing (an empty answer, no cookie change).
            var signedOut = await browser.App.GetAsync("/signout-callback-oidc?state=forged");
            Assert.True((int)signedOut.StatusCode < 400, $"The sign-out callback answered {(int)signedOut.StatusCode}.");
            Assert.False(signedOut.Headers.Contains("Set-Cookie"));
            // The local sign-in's steps have no sign-in under way in this mode: back to the sign-in page.
            Assert.Equal(HttpStatusCode.Redirect, (await browser.App.GetAsync(BackOffice.Web.Components.Account.SignInSteps.Path)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.App.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.App.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task StaffAccountsPage_ListsTheDirectoryStaffRecords_ReadOnly()
    {
        using var browser = app.NewBrowser();
        await browser.SignInAsync(DirectoryUser.Admin);

        var page = await (await browser.App.GetAsync("/verwaltung/konten")).Content.ReadAsStringAsync();

        Assert.Contains("im Verzeichnis der Stadt verwaltet", page, StringComparison.Ordinal);
        Assert.Contains(DirectoryUser.Admin.Login, page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"new-account\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"account-actions\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_OffersTheDirectoryInsteadOfAPassword()
    {
        using var browser = app.NewBrowser();

        var page = await (await browser.App.GetAsync("/Account/Login?ReturnUrl=%2Fdokumente")).Content.ReadAsStringAsync();

        Assert.Contains("Mit dem Dienstkonto anmelden", page, StringComparison.Ordinal);
        Assert.Contains($"{DirectoryAuthentication.ChallengePath}?returnUrl=%2Fdokumente", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Password", page, StringComparison.Ordinal);
    }

    /// <summary>Why the app refused the last directory sign-in (the audit line), for failure messages.</summary>
    private async Task<string?> LastRefusalAsync()
    {
        await using var db = await app.NewDbContextAsync();
        return await db.AuditEntries.Where(a => a.Action == "staff.signin" && a.Outcome == "refused")
            .OrderByDescending(a => a.Id).Select(a => a.Details).FirstOrDefaultAsync();
    }

    private async Task AssertRefusedAsync(DirectoryUser user)
    {
        using var browser = app.NewBrowser();
        var callback = await browser.SignInAsync(user);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal($"/Account/Login?reason={DirectoryAuthentication.FailedReason}", callback.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.App.GetAsync("/")).StatusCode);
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.signin" && a.Outcome == "refused"));
    }
}

public sealed class OidcSignInTests(OidcAppFactory app) : DirectorySignInTests<OidcAppFactory>(app), IClassFixture<OidcAppFactory>;

public sealed class EntraIdSignInTests(EntraIdAppFactory app) : DirectorySignInTests<EntraIdAppFactory>(app), IClassFixture<EntraIdAppFactory>;
