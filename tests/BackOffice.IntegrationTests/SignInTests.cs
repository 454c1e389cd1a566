using System.Net;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

public class SignInTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    public static TheoryData<string, string> DemoAccounts()
    {
        var data = new TheoryData<string, string>();
        foreach (var (email, displayName, _) in DemoStaff.Accounts)
        {
            data.Add(email, displayName);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DemoAccounts))]
    public async Task SignIn_DemoAccount_OpensTheOverviewWithTheStaffName(string email, string displayName)
    {
        var client = app.CreateBrowserClient();

        var response = await StaffSession.SubmitLoginAsync(client, email, DemoStaff.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/", response.Headers.Location?.ToString());
        var overview = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains(displayName, await overview.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPassword_IsRefusedWithAGermanMessageAndNoCookie()
    {
        var client = app.CreateBrowserClient();

        var response = await StaffSession.SubmitLoginAsync(client, "teamleitung@demo.local", "Falsches-Passwort-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("E-Mail-Adresse oder Passwort ist falsch.", await StaffSession.ErrorTextAsync(response));
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_UnknownAccount_GetsTheSameMessageAsAWrongPassword()
    {
        var response = await StaffSession.SubmitLoginAsync(app.CreateBrowserClient(), "niemand@demo.local", DemoStaff.Password);

        Assert.Equal("E-Mail-Adresse oder Passwort ist falsch.", await StaffSession.ErrorTextAsync(response));
    }

    [Fact]
    public async Task SignIn_EmptyForm_AsksForBothFields()
    {
        var response = await StaffSession.SubmitLoginAsync(app.CreateBrowserClient(), "", "");

        Assert.Equal("Bitte geben Sie E-Mail-Adresse und Passwort ein.", await StaffSession.ErrorTextAsync(response));
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_RefusesEvenTheRightOneWithoutSayingTheAccountIsLocked()
    {
        var email = "lockout-test@demo.local";
        await CreateClerkAsync(email);
        var client = app.CreateBrowserClient();

        for (var attempt = 0; attempt < StaffIdentityOptions.MaxFailedSignIns; attempt++)
        {
            await StaffSession.SubmitLoginAsync(client, email, "Falsches-Passwort-1");
        }
        var response = await StaffSession.SubmitLoginAsync(client, email, DemoStaff.Password);

        // Locked for this client: the same answer as a wrong password, so the page confirms neither account nor lock.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("E-Mail-Adresse oder Passwort ist falsch.", await StaffSession.ErrorTextAsync(response));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_ForeignReturnUrl_LandsOnTheOverviewInstead()
    {
        var response = await StaffSession.SubmitLoginAsync(
            app.CreateBrowserClient(), "sachbearbeitung@demo.local", DemoStaff.Password, returnUrl: "//evil.example/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, "sachbearbeitung@demo.local", DemoStaff.Password);
        var overview = await (await client.GetAsync("/")).Content.ReadAsStringAsync();
        var token = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(overview)
            .QuerySelector("form[action='/Account/Logout'] input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.NotNull(token);

        var signOut = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.StartsWith("/Account/Login", (await client.GetAsync("/")).Headers.Location?.AbsolutePath, StringComparison.Ordinal);
    }

    private async Task CreateClerkAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccountService>();
        var result = await accounts.CreateAsync(email, "Lockout Test", DemoStaff.Password, BackOffice.Domain.Staff.StaffRoles.Clerk, "staff:test-admin");
        Assert.True(result.Succeeded);
    }
}
