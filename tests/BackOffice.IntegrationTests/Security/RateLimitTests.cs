using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using BackOffice.Application.Pickup;
using BackOffice.Bridge.Contracts;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackOffice.IntegrationTests.Security;

/// <summary>The app with low limits, so a test reaches them in a few requests.</summary>
public sealed class LowRateLimitApp : BackOfficeAppFactory
{
    public const int SignInsPerClient = 6;
    public const int SignInsPerAccount = 3;
    public const int ApiCallsPerKey = 4;
    public const string SecondApiKey = "second-registration-api-key-for-rate-limit-tests";

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("RateLimits:SignInPerClient:PermitLimit", $"{SignInsPerClient}"),
        new("RateLimits:SignInPerAccount:PermitLimit", $"{SignInsPerAccount}"),
        new("RateLimits:RegistrationApi:PermitLimit", $"{ApiCallsPerKey}"),
        new("Api:Keys:1", SecondApiKey),
    ];
}

/// <summary>
/// Sign-in (per client address and per entered user name) and the registration API (per key) are rate limited with
/// ASP.NET Core's rate limiter: 429, Retry-After, and a German message. The windows run on real time (one minute), so
/// each test uses partitions of its own and the sign-in test counts every attempt from this (single) client address.
/// </summary>
public class RateLimitTests(LowRateLimitApp app) : IClassFixture<LowRateLimitApp>
{
    [Fact]
    public async Task SignIn_OverTheLimitPerAccountAndThenPerClient_Answers429WithRetryAfterAndAGermanMessage()
    {
        var client = app.CreateBrowserClient();

        // Per account: three attempts for one name, the fourth is refused even with the right password.
        for (var i = 0; i < LowRateLimitApp.SignInsPerAccount; i++)
        {
            var attempt = await StaffSession.SubmitLoginAsync(client, "teamleitung@demo.local", "Falsches-Passwort-1");
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        }
        var perAccount = await StaffSession.SubmitLoginAsync(client, "TEAMLEITUNG@demo.local ", DemoStaff.Password);

        await AssertRefusedAsync(perAccount);
        Assert.DoesNotContain(Cookies(perAccount), c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal));

        // Per client: other names still get through until this address has used its six attempts. The refused
        // attempt above did not count against the client.
        await StaffSession.SignInAsync(client, "sachbearbeitung@demo.local", DemoStaff.Password);
        await StaffSession.SignInAsync(client, "admin@demo.local", DemoStaff.Password);
        Assert.Equal(HttpStatusCode.OK, (await StaffSession.SubmitLoginAsync(client, "niemand@demo.local", "Falsches-Passwort-1")).StatusCode);
        var perClient = await StaffSession.SubmitLoginAsync(client, "niemand@demo.local", "Falsches-Passwort-1");

        await AssertRefusedAsync(perClient);
        // Only the form post is limited: the sign-in page itself still opens.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);
    }

    [Fact]
    public async Task Api_OverTheLimitPerKey_Answers429ProblemWithRetryAfter_OtherKeysGoOn()
    {
        var first = ApiClient(AccessMatrixApp.ApiKey);
        var second = ApiClient(LowRateLimitApp.SecondApiKey);

        for (var i = 0; i < LowRateLimitApp.ApiCallsPerKey; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await first.PostAsJsonAsync("/api/v1/documents", new { })).StatusCode);
        }
        var refused = await first.PostAsJsonAsync("/api/v1/documents", new { });
        var otherKey = await second.PostAsJsonAsync("/api/v1/documents", new { });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(RetryAfterSeconds(refused), 1, 60);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("Zu viele Anfragen", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, otherKey.StatusCode);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(RetryAfterSeconds(response), 1, 60);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Zu viele Anmeldeversuche", page.QuerySelector("h1")?.TextContent);
        Assert.Matches(@"^Von diesem Rechner oder für dieses Konto gab es zu viele Anmeldeversuche\. Bitte warten Sie \d+ Sekunden",
            page.QuerySelector("[data-testid=rate-limit-message]")?.TextContent ?? "");
        Assert.Equal("de", page.DocumentElement.GetAttribute("lang"));
    }

    private static int RetryAfterSeconds(HttpResponseMessage response) =>
        (int)(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? -1);

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];

    private HttpClient ApiClient(string key)
    {
        var client = app.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}

/// <summary>The bridge app with three pickup requests per box and minute (Pickup:MaxRequestsPerBoxPerMinute).</summary>
public sealed class LowPickupLimitApp : BridgeAppFactory
{
    public const int PerMinute = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Pickup:MaxRequestsPerBoxPerMinute", $"{PerMinute}")];
}

/// <summary>Pickup requests are limited per box and minute (on the server clock), so a panel under attack is slowed down.</summary>
public class PickupRateLimitTests(LowPickupLimitApp app) : IClassFixture<LowPickupLimitApp>
{
    [Fact]
    public async Task PickupRequests_OverTheLimitPerBox_AreAnsweredBusy_UntilTheMinuteHasPassed()
    {
        var ct = TestContext.Current.CancellationToken;
        var box = await app.ConnectRawAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        Task<PickupResponse> RequestAsync(int n) => box.InvokeAsync<PickupResponse>(BridgeProtocol.ServerMethods.RequestPickup,
            new PickupRequest(Guid.NewGuid(), $"+4917090000{n:00}", "123456", null, "1980-01-01"), ct);

        var answers = new List<PickupResponse>();
        for (var i = 0; i < LowPickupLimitApp.PerMinute + 2; i++)
        {
            answers.Add(await RequestAsync(i));
        }
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var afterAMinute = await RequestAsync(99);

        Assert.All(answers.Take(LowPickupLimitApp.PerMinute), a => Assert.Equal(PickupService.Refusal, a.Message));
        Assert.All(answers.Skip(LowPickupLimitApp.PerMinute), a => Assert.Equal(PickupService.Busy, a.Message));
        Assert.All(answers, a => Assert.False(a.Granted));
        Assert.Equal(PickupService.Refusal, afterAMinute.Message);
        await using var db = await app.NewDbContextAsync();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "pickup.refused" && a.Outcome == "rate_limited"));
    }
}
