using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using BackOffice.Application.Abstractions;
using BackOffice.Domain.Staff;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.IntegrationTests.Security;

/// <summary>The app with a test header that sets the client address, so a test can sign in from several addresses.</summary>
public sealed class SignInLockoutApp : BackOfficeAppFactory
{
    private const string ClientAddressHeader = "X-Test-Client-Address";

    /// <summary>A browser-like client whose requests come from <paramref name="address"/> (as the app sees it).</summary>
    public HttpClient CreateClientFrom(string address)
    {
        var client = CreateBrowserClient();
        client.DefaultRequestHeaders.Add(ClientAddressHeader, address);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ClientAddressFilter>());
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientAddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// Sign-in tells nobody whether an account exists or is locked (one answer, about the same time), and an attacker at
/// one address cannot lock out a colleague at another: the lock is per account and address; only many failures from
/// several addresses lock the account itself, and that alerts the admins, who can lift it.
/// </summary>
public class SignInLockoutTests(SignInLockoutApp app) : IClassFixture<SignInLockoutApp>
{
    private const string WrongPassword = "Falsches-Passwort-1";
    private const string Refused = "E-Mail-Adresse oder Passwort ist falsch.";
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task SignIn_UnknownAddressWrongPasswordAndLockedAccount_GetTheSameAnswerInAboutTheSameTime()
    {
        var wrong = await CreateClerkAsync("timing-wrong");
        var locked = await CreateClerkAsync("timing-locked");
        var attacker = app.CreateClientFrom("10.9.0.1");
        for (var i = 0; i < StaffIdentityOptions.MaxFailedSignIns; i++)
        {
            await StaffSession.SubmitLoginAsync(attacker, locked, WrongPassword);
        }
        var samples = new Dictionary<string, List<double>> { ["unknown"] = [], ["wrong"] = [], ["locked"] = [] };
        var answers = new HashSet<string>(StringComparer.Ordinal);

        // Interleaved, so load on the machine hits all three alike. Wrong passwords from a new address each time, so
        // that address never locks (and 2 + 15 stay below the per-account threshold of 20); the locked account is tried
        // with its RIGHT password from the locked address.
        const int warmUp = 2, rounds = 15;
        for (var round = 0; round < warmUp + rounds; round++)
        {
            var attempts = new (string Kind, HttpClient Client, string Email, string Password)[]
            {
                ("unknown", app.CreateClientFrom($"10.9.1.{round + 1}"), $"niemand-{round}@demo.local", WrongPassword),
                ("wrong", app.CreateClientFrom($"10.9.2.{round + 1}"), wrong, WrongPassword),
                ("locked", attacker, locked, DemoStaff.Password),
            };
            foreach (var (kind, client, email, password) in attempts)
            {
                var (response, milliseconds) = await TimedSignInAsync(client, email, password);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.DoesNotContain(Cookies(response), c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal));
                var page = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
                Assert.Equal(Refused, page.QuerySelector("[data-testid=login-error]")?.TextContent.Trim());
                // The whole visible page, not only the message (the antiforgery token is an attribute, not text).
                answers.Add(page.QuerySelector("main")!.TextContent);
                if (round >= warmUp)
                {
                    samples[kind].Add(milliseconds);
                }
            }
        }

        Assert.Single(answers);
        var medians = samples.ToDictionary(s => s.Key, s => Median(s.Value));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", medians.Select(m => $"{m.Key} median {m.Value:F1} ms")));
        // Each answer verifies one password hash (tens of ms); before, an unknown address skipped it (about 5x faster)
        // and a locked account too. A factor of 3 leaves room for a loaded machine (the fault suite runs
        // alongside: 2 was crossed once with medians of 191, 214 and 183 ms) and still catches a skipped hash.
        // Compared round by round (the three answers of a round ran back to back), then the median round: a burst of
        // load from other work on the machine moves one round, not the verdict.
        var roundRatios = Enumerable.Range(0, rounds)
            .Select(r => samples.Values.Max(s => s[r]) / samples.Values.Min(s => s[r]))
            .ToList();
        var ratio = Median(roundRatios);
        Assert.True(ratio < 3.0, $"Answers differ by a factor of {ratio:F2} in the median round; medians {string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F1} ms"))}");
    }

    [Fact]
    public async Task SignIn_WrongPasswordsFromOneAddress_LockThatAddressOnly_AColleagueElsewhereSignsIn()
    {
        var email = await CreateClerkAsync("attacked");
        var attacker = app.CreateClientFrom("10.9.3.1");

        // Far past both thresholds, from one address: 5 lock the address, the rest must not count towards the account.
        for (var i = 0; i < StaffIdentityOptions.MaxFailedSignInsPerAccount + 5; i++)
        {
            await StaffSession.SubmitLoginAsync(attacker, email, WrongPassword);
        }
        var attackerWithTheRightPassword = await StaffSession.SubmitLoginAsync(attacker, email, DemoStaff.Password);
        var colleague = app.CreateClientFrom("10.9.3.2");
        var colleagueSignIn = await StaffSession.SubmitLoginAsync(colleague, email, DemoStaff.Password);

        Assert.Equal(Refused, await StaffSession.ErrorTextAsync(attackerWithTheRightPassword));
        Assert.Equal(HttpStatusCode.Redirect, colleagueSignIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/")).StatusCode);
        await using var db = await app.NewDbContextAsync();
        var audit = await db.AuditEntries.Where(a => a.Action == "staff.signin" && a.Subject == $"user:{email}").ToListAsync();
        Assert.Equal(StaffIdentityOptions.MaxFailedSignIns, audit.Count(a => a.Outcome == "failed" && a.Details!.Contains("10.9.3.1")));
        Assert.Equal(StaffIdentityOptions.MaxFailedSignInsPerAccount + 1, audit.Count(a => a.Outcome == "locked_out" && a.Details!.Contains("10.9.3.1")));
        Assert.Single(audit, a => a.Outcome == "ok" && a.Details!.Contains("10.9.3.2"));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == StaffSignIn.AccountLockedAction && a.Subject == $"user:{email}"));
    }

    [Fact]
    public async Task SignIn_ManyWrongPasswordsFromSeveralAddresses_LockTheAccountAlertTheAdminsWhoLiftIt()
    {
        var email = await CreateClerkAsync("distributed");
        var addresses = StaffIdentityOptions.MaxFailedSignInsPerAccount / StaffIdentityOptions.MaxFailedSignIns;
        for (var a = 1; a <= addresses; a++)
        {
            var attacker = app.CreateClientFrom($"10.9.4.{a}");
            for (var i = 0; i < StaffIdentityOptions.MaxFailedSignIns; i++)
            {
                await StaffSession.SubmitLoginAsync(attacker, email, WrongPassword);
            }
        }

        // Locked for everyone now, with the same answer as always.
        var colleague = app.CreateClientFrom("10.9.4.200");
        Assert.Equal(Refused, await StaffSession.ErrorTextAsync(await StaffSession.SubmitLoginAsync(colleague, email, DemoStaff.Password)));
        // Audited as an alert, and shown to admins on the administration page with the way to lift it.
        await using (var db = await app.NewDbContextAsync())
        {
            var alert = Assert.Single(await db.AuditEntries
                .Where(a => a.Action == StaffSignIn.AccountLockedAction && a.Subject == $"user:{email}").ToListAsync());
            Assert.Equal("alert", alert.Outcome);
            Assert.StartsWith($"{StaffIdentityOptions.MaxFailedSignInsPerAccount} failed sign-ins from {addresses} addresses", alert.Details, StringComparison.Ordinal);
        }
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        var account = Assert.Single(await directory.ListAsync(), a => a.Email == email);
        Assert.True(account.LockedAfterFailedSignIns);
        var admin = app.CreateClientFrom("10.9.4.201");
        await StaffSession.SignInAsync(admin, "admin@demo.local", DemoStaff.Password);
        var page = Parser.ParseDocument(await admin.GetStringAsync("/verwaltung"));
        var shown = page.QuerySelector("[data-testid=lockout-alert]")?.TextContent ?? "";
        Assert.Contains($"Gesperrt nach {StaffIdentityOptions.MaxFailedSignInsPerAccount} fehlgeschlagenen Anmeldungen", shown, StringComparison.Ordinal);
        Assert.Contains(email, shown, StringComparison.Ordinal);

        Assert.True(await directory.UnlockAsync(account.Id, "staff:admin@demo.local"));

        // Lifted for the account and for the addresses the failures came from.
        await StaffSession.SignInAsync(colleague, email, DemoStaff.Password);
        await StaffSession.SignInAsync(app.CreateClientFrom("10.9.4.1"), email, DemoStaff.Password);
        Assert.False(Assert.Single(await directory.ListAsync(), a => a.Email == email).IsLocked);
    }

    [Fact]
    public async Task Directory_AddressLock_IsShownAndLiftedByTheAdministration()
    {
        var email = await CreateClerkAsync("typos");
        var own = app.CreateClientFrom("10.9.5.1");
        for (var i = 0; i < StaffIdentityOptions.MaxFailedSignIns; i++)
        {
            await StaffSession.SubmitLoginAsync(own, email, WrongPassword);
        }
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        var account = Assert.Single(await directory.ListAsync(), a => a.Email == email);
        Assert.Equal(1, account.AddressLocks?.Addresses);
        Assert.Null(account.LockedOutUntil);

        Assert.True(await directory.UnlockAsync(account.Id, "staff:admin@demo.local"));

        await StaffSession.SignInAsync(own, email, DemoStaff.Password);
    }

    [Fact]
    public async Task WitnessCheck_WrongPasswords_LockOnlyTheWitnessCheck_NeverTheColleaguesSignIn()
    {
        var email = await CreateClerkAsync("witness");
        var verification = app.Services.GetRequiredService<IStaffVerification>();

        for (var i = 0; i < StaffIdentityOptions.MaxFailedSignIns; i++)
        {
            var wrong = await verification.VerifyAsync(email, WrongPassword, TestContext.Current.CancellationToken);
            Assert.Equal("Benutzername oder Passwort der zweiten Person ist falsch.", app.Services.Words(wrong.Refusal));
        }
        var locked = await verification.VerifyAsync(email, DemoStaff.Password, TestContext.Current.CancellationToken);

        Assert.False(locked.Verified);
        Assert.Contains("gesperrt", app.Services.Words(locked.Refusal), StringComparison.Ordinal);
        await StaffSession.SignInAsync(app.CreateClientFrom("10.9.6.1"), email, DemoStaff.Password);
    }

    private async Task<string> CreateClerkAsync(string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}@demo.local";
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StaffAccountService>()
            .CreateAsync(email, name, DemoStaff.Password, StaffRoles.Clerk, "staff:test-admin");
        Assert.True(result.Succeeded);
        return email;
    }

    /// <summary>The sign-in form as a browser sends it; only the POST is timed (the page with the token is not).</summary>
    private static async Task<(HttpResponseMessage Response, double Milliseconds)> TimedSignInAsync(HttpClient client, string email, string password)
    {
        var form = Parser.ParseDocument(await client.GetStringAsync("/Account/Login"));
        var token = form.QuerySelector("form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        var watch = Stopwatch.StartNew();
        var response = await client.PostAsync("/Account/Login", content);
        await response.Content.LoadIntoBufferAsync();
        return (response, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];
}
