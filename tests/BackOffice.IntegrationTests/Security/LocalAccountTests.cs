using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using BackOffice.Domain.Staff;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using BackOffice.Web.Components.Account;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace BackOffice.IntegrationTests.Security;

/// <summary>
/// Local account management (Verwaltung → Mitarbeiterkonten) and the sign-in steps it leads to: the rules about one's
/// own account and the last admin, one-time passwords, disabling, lockouts, the authenticator code. Each test makes the
/// accounts it needs.
/// </summary>
public partial class LocalAccountTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Password = "Eigenes-Passwort-2026";

    private LocalAccounts Accounts => app.Services.GetRequiredService<LocalAccounts>();

    [Fact]
    public async Task Admin_CannotDemoteOrDisableThemselves()
    {
        var admin = await NewAccountAsync(StaffRoles.Admin);
        var self = new Actor(admin.Id, "staff:self");

        Assert.Equal(AccountRefusal.SelfDemote, (await Accounts.ChangeRoleAsync(admin.Id, StaffRoles.Clerk, self)).Refusal);
        Assert.Equal(AccountRefusal.SelfDisable, (await Accounts.SetDisabledAsync(admin.Id, true, self)).Refusal);

        var summary = await SummaryAsync(admin.Id);
        Assert.Equal([StaffRoles.Admin], summary.Roles);
        Assert.False(summary.IsDisabled);
        await using var db = await app.NewDbContextAsync();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "staff.change_refused" && a.Subject == $"user:{admin.Email}"));
    }

    [Fact]
    public async Task LastActiveAdmin_CannotBeDisabledOrDemoted_ButAnotherAdminCan()
    {
        var last = await NewAccountAsync(StaffRoles.Admin);
        var other = await NewAccountAsync(StaffRoles.Admin);
        var actor = new Actor(Guid.NewGuid(), "staff:test-admin");
        List<Guid> disabled;
        await using (var db = await app.NewDbContextAsync())
        {
            // Every other admin of this database disabled for the test, so `last` is the only active one.
            var adminRole = await db.Roles.Where(r => r.Name == StaffRoles.Admin).Select(r => r.Id).SingleAsync();
            disabled = await db.UserRoles.Where(ur => ur.RoleId == adminRole && ur.UserId != last.Id)
                .Join(db.Users.Where(u => u.DisabledAt == null), ur => ur.UserId, u => u.Id, (ur, u) => u.Id).ToListAsync();
            await db.Users.Where(u => disabled.Contains(u.Id)).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisabledAt, DateTimeOffset.UtcNow));
        }
        try
        {
            Assert.Equal(AccountRefusal.LastAdmin, (await Accounts.SetDisabledAsync(last.Id, true, actor)).Refusal);
            Assert.Equal(AccountRefusal.LastAdmin, (await Accounts.ChangeRoleAsync(last.Id, StaffRoles.Supervisor, actor)).Refusal);

            // With a second active admin the same change goes through.
            Assert.True((await Accounts.SetDisabledAsync(other.Id, false, actor)).Succeeded);
            Assert.True((await Accounts.ChangeRoleAsync(last.Id, StaffRoles.Supervisor, actor)).Succeeded);
            Assert.Equal([StaffRoles.Supervisor], (await SummaryAsync(last.Id)).Roles);
        }
        finally
        {
            await using var db = await app.NewDbContextAsync();
            await db.Users.Where(u => disabled.Contains(u.Id)).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisabledAt, (DateTimeOffset?)null));
        }
    }

    [Fact]
    public async Task NewAccount_SignsInWithItsOneTimePassword_AndMustSetItsOwnBeforeAnythingElse()
    {
        var email = NewEmail();
        var created = await Accounts.CreateAsync(email, "Neue Kollegin", StaffRoles.Clerk, new Actor(Guid.NewGuid(), "staff:test-admin"));
        Assert.True(created.Succeeded);
        var oneTime = Assert.IsType<string>(created.OneTimePassword);
        using var client = app.CreateBrowserClient();

        var signIn = await StaffSession.SubmitLoginAsync(client, email, oneTime, "/dokumente");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(SignInSteps.Path, PathOf(signIn));
        // Not signed in yet: every page still sends the browser to the sign-in page.
        Assert.Equal(AccountEndpoints.LoginPath, (await client.GetAsync("/dokumente")).Headers.Location?.AbsolutePath);
        var step = SignInSteps.Url("/dokumente");
        var same = await StaffSession.SubmitFormAsync(client, step, "password", NewPasswordFields(oneTime));
        Assert.Contains("vom Einmalpasswort unterscheiden", await same.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var changed = await StaffSession.SubmitFormAsync(client, step, "password", NewPasswordFields(Password));

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/dokumente", PathOf(changed));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dokumente")).StatusCode);
        Assert.False((await SummaryAsync(await IdOfAsync(email))).MustChangePassword);
        using var again = app.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, (await StaffSession.SubmitLoginAsync(again, email, oneTime)).StatusCode);
        await StaffSession.SignInAsync(again, email, Password);
    }

    [Fact]
    public async Task ResetPassword_IssuesANewOneTimePassword_AndTheOldPasswordStops()
    {
        var account = await NewAccountAsync(StaffRoles.Supervisor);

        var reset = await Accounts.ResetPasswordAsync(account.Id, new Actor(Guid.NewGuid(), "staff:test-admin"));

        Assert.True(reset.Succeeded);
        using var client = app.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, (await StaffSession.SubmitLoginAsync(client, account.Email, Password)).StatusCode);
        var signIn = await StaffSession.SubmitLoginAsync(client, account.Email, reset.OneTimePassword!);
        Assert.Equal(SignInSteps.Path, PathOf(signIn));
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.password_reset" && a.Subject == $"user:{account.Email}"));
    }

    [Fact]
    public async Task LiftLockout_LetsTheAccountSignInAgain_AndIsAudited()
    {
        var account = await NewAccountAsync(StaffRoles.Clerk);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(account.Id.ToString()))!, DateTimeOffset.UtcNow.AddHours(1));
        }
        using var client = app.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.OK, (await StaffSession.SubmitLoginAsync(client, account.Email, Password)).StatusCode);

        Assert.True((await Accounts.UnlockAsync(account.Id, new Actor(Guid.NewGuid(), "staff:test-admin"))).Succeeded);

        Assert.Null((await SummaryAsync(account.Id)).LockedOutUntil);
        await StaffSession.SignInAsync(client, account.Email, Password);
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.lockout_lifted" && a.Subject == $"user:{account.Email}" && a.Actor == "staff:test-admin"));
    }

    [Fact]
    public async Task DisabledAccount_IsRefusedAtSignIn_AndItsOpenPageFailsRevalidation()
    {
        var account = await NewAccountAsync(StaffRoles.Clerk);
        using var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, account.Email, Password);
        var state = new AuthenticationState(await PrincipalAsync(account.Id));
        Assert.True(await RevalidateAsync(state));

        Assert.True((await Accounts.SetDisabledAsync(account.Id, true, new Actor(Guid.NewGuid(), "staff:test-admin"))).Succeeded);

        Assert.False(await RevalidateAsync(state));
        using var other = app.CreateBrowserClient();
        var refused = await StaffSession.SubmitLoginAsync(other, account.Email, Password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("E-Mail-Adresse oder Passwort ist falsch.", await StaffSession.ErrorTextAsync(refused));
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.signin" && a.Outcome == "disabled" && a.Subject == $"user:{account.Email}"));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.disabled" && a.Subject == $"user:{account.Email}"));
        }

        Assert.True((await Accounts.SetDisabledAsync(account.Id, false, new Actor(Guid.NewGuid(), "staff:test-admin"))).Succeeded);
        await StaffSession.SignInAsync(other, account.Email, Password);
    }

    [Fact]
    public async Task TwoFactor_SignInAsksForTheCode_AndRefusesAWrongOne()
    {
        var account = await NewAccountAsync(StaffRoles.Clerk);
        var enrolment = app.Services.GetRequiredService<TwoFactorEnrolment>();
        var setup = await enrolment.SetupAsync(account.Id);
        Assert.NotNull(setup);
        Assert.Null(await enrolment.ConfirmAsync(account.Id, WrongCode(setup.Key)));
        var recoveryCodes = await enrolment.ConfirmAsync(account.Id, Totp.Code(setup.Key));
        Assert.Equal(TwoFactorEnrolment.RecoveryCodeCount, recoveryCodes?.Count);
        using var client = app.CreateBrowserClient();

        var signIn = await StaffSession.SubmitLoginAsync(client, account.Email, Password);

        Assert.Equal(SignInSteps.Path, PathOf(signIn));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
        var step = SignInSteps.Url("/");
        var wrong = await StaffSession.SubmitFormAsync(client, step, "code", new Dictionary<string, string> { ["Code.Value"] = WrongCode(setup.Key) });
        Assert.Contains("Der Code ist falsch", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The code that confirmed the enrolment is taken: the phone's next one (accepted a step early, as from a clock a little ahead).
        var taken = await StaffSession.SubmitFormAsync(client, step, "code", new Dictionary<string, string> { ["Code.Value"] = Totp.Code(setup.Key) });
        Assert.Contains("Der Code ist falsch", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var next = Totp.Code(setup.Key, DateTimeOffset.UtcNow.AddSeconds(30));
        var right = await StaffSession.SubmitFormAsync(client, step, "code", new Dictionary<string, string> { ["Code.Value"] = next });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        // Seen over a shoulder, the same code lets nobody else in (RFC 6238, 5.2).
        using var replay = app.CreateBrowserClient();
        await StaffSession.SubmitLoginAsync(replay, account.Email, Password);
        var replayed = await StaffSession.SubmitFormAsync(replay, step, "code", new Dictionary<string, string> { ["Code.Value"] = next });
        Assert.Contains("Der Code ist falsch", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/")).StatusCode);

        // A recovery code replaces the app's code once.
        using var second = app.CreateBrowserClient();
        await StaffSession.SubmitLoginAsync(second, account.Email, Password);
        var recovered = await StaffSession.SubmitFormAsync(second, step, "code", new Dictionary<string, string> { ["Code.Value"] = recoveryCodes![0] });
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal(TwoFactorEnrolment.RecoveryCodeCount - 1, (await enrolment.StatusAsync(account.Id))!.RecoveryCodesLeft);
    }

    [Fact]
    public async Task ResetTwoFactor_ByAnAdmin_SignsInWithThePasswordAlone()
    {
        var account = await NewAccountAsync(StaffRoles.Clerk);
        var enrolment = app.Services.GetRequiredService<TwoFactorEnrolment>();
        var setup = await enrolment.SetupAsync(account.Id);
        Assert.NotNull(await enrolment.ConfirmAsync(account.Id, Totp.Code(setup!.Key)));

        Assert.True((await Accounts.ResetTwoFactorAsync(account.Id, new Actor(Guid.NewGuid(), "staff:test-admin"))).Succeeded);

        Assert.False((await SummaryAsync(account.Id)).TwoFactorEnabled);
        using var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, account.Email, Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        // A new enrolment gets a new key: the old phone's codes are void.
        Assert.NotEqual(setup.Key, (await enrolment.SetupAsync(account.Id))!.Key);
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "staff.two_factor_reset" && a.Subject == $"user:{account.Email}"));
    }

    [Fact]
    public void OneTimePasswords_MeetThePasswordPolicy()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Matches(OneTimeShape(), LocalAccounts.NewOneTimePassword());
        }
    }

    [GeneratedRegex("^(?=.*[A-Z])(?=.*[a-z])(?=.*[2-9])[A-HJ-NP-Za-km-z2-9]{4}(-[A-HJ-NP-Za-km-z2-9]{4}){3}$")]
    private static partial Regex OneTimeShape();

    private static string WrongCode(string key) => ((int.Parse(Totp.Code(key), System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, string> NewPasswordFields(string password) =>
        new() { ["NewPassword.Password"] = password, ["NewPassword.Repeat"] = password };

    /// <summary>The path a redirect goes to (the app answers with absolute addresses after a form post).</summary>
    internal static string? PathOf(HttpResponseMessage response) => response.Headers.Location is { } location
        ? (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0])
        : null;

    private static string NewEmail() => $"{Guid.NewGuid():N}@stadt.example";

    private async Task<(Guid Id, string Email)> NewAccountAsync(string role)
    {
        var email = NewEmail();
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<StaffAccountService>().CreateAsync(email, "Test " + role, Password, role, "staff:test-admin");
        Assert.True(created.Succeeded);
        return (await IdOfAsync(email), email);
    }

    private async Task<Guid> IdOfAsync(string email)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<StaffAccountSummary> SummaryAsync(Guid id) =>
        Assert.Single(await app.Services.GetRequiredService<StaffDirectory>().ListAsync(), a => a.Id == id);

    private async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<StaffUser>>();
        return await factory.CreateAsync((await users.FindByIdAsync(id.ToString()))!);
    }

    /// <summary>What an open page's revalidation (every <c>Security:RevalidationInterval</c>) decides for this sign-in.</summary>
    private async Task<bool> RevalidateAsync(AuthenticationState state)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var provider = ActivatorUtilities.CreateInstance<RevalidatingIdentityStateProvider>(scope.ServiceProvider);
        var validate = typeof(RevalidatingIdentityStateProvider).GetMethod("ValidateAuthenticationStateAsync", BindingFlags.NonPublic | BindingFlags.Instance)!;
        return await (Task<bool>)validate.Invoke(provider, [state, CancellationToken.None])!;
    }
}

/// <summary>The rule for admins with <c>Authentication:RequireAdminTwoFactor</c> on (the default outside the demo).</summary>
public class AdminTwoFactorRuleTests(AdminTwoFactorRuleTests.App app) : IClassFixture<AdminTwoFactorRuleTests.App>
{
    private const string Password = "Eigenes-Passwort-2026";

    public sealed class App : BackOfficeAppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Authentication:RequireAdminTwoFactor", "true")];
    }

    [Fact]
    public async Task AdminWithoutSecondFactor_IsSentToTheEnrolment_AndCanDoNothingElseUntilEnrolled()
    {
        var email = $"{Guid.NewGuid():N}@stadt.example";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<StaffAccountService>().CreateAsync(email, "Neue Administration", Password, StaffRoles.Admin, "cli:test")).Succeeded);
        }
        using var client = app.CreateBrowserClient();

        var signIn = await StaffSession.SubmitLoginAsync(client, email, Password, "/verwaltung");

        Assert.Equal(SignInSteps.Path, LocalAccountTests.PathOf(signIn));
        Assert.Equal(AccountEndpoints.LoginPath, (await client.GetAsync("/verwaltung")).Headers.Location?.AbsolutePath);
        var step = SignInSteps.Url("/verwaltung");
        var page = await (await client.GetAsync(step)).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"authenticator-qr\"", page, StringComparison.Ordinal);
        var key = Regex.Match(page, "data-testid=\"authenticator-key\">([^<]+)<").Groups[1].Value;
        Assert.NotEmpty(key);

        var enrolled = await StaffSession.SubmitFormAsync(client, step, "enrol", new Dictionary<string, string> { ["Code.Value"] = Totp.Code(key) });

        var shown = await enrolled.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Contains("data-testid=\"recovery-codes\"", shown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/verwaltung")).StatusCode);
        // Required: the admin cannot turn it off.
        var id = (await app.Services.GetRequiredService<StaffDirectory>().ListAsync()).Single(a => a.Email == email).Id;
        Assert.False(await app.Services.GetRequiredService<TwoFactorEnrolment>().DisableAsync(id));
    }

    [Fact]
    public async Task ClerkWithoutSecondFactor_SignsInWithThePassword()
    {
        var email = $"{Guid.NewGuid():N}@stadt.example";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<StaffAccountService>().CreateAsync(email, "Sachbearbeitung", Password, StaffRoles.Clerk, "cli:test")).Succeeded);
        }
        using var client = app.CreateBrowserClient();

        await StaffSession.SignInAsync(client, email, Password);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dokumente")).StatusCode);
    }
}
