using System.Net;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.AspNetCore.Hosting;

namespace BackOffice.IntegrationTests.Security;

/// <summary>The app with a 10-minute idle timeout and a clock the tests move (the cookie handler reads it too).</summary>
public sealed class ShortIdleApp : BackOfficeAppFactory
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Security:IdleTimeout", "00:10:00")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// The sign-in cookie slides over the idle timeout: it ends after that long without a request, and the keep-alive the
/// browser fetches while someone works renews it every time. (The open page's own sign-out: IdleSessionTests and the
/// browser test IdleSignOutTests.)
/// </summary>
public class IdleTimeoutTests(ShortIdleApp app) : IClassFixture<ShortIdleApp>
{
    private static readonly TimeSpan Timeout = ShortIdleApp.IdleTimeout;

    [Fact]
    public async Task Cookie_AfterTheIdleTimeoutWithoutRequests_NoLongerSignsIn()
    {
        var client = await SignedInClerkAsync();

        app.Clock.Advance(Timeout + TimeSpan.FromMinutes(1));

        var response = await client.GetAsync("/dokumente");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task KeepAlive_RenewsTheCookieEveryTime()
    {
        var client = await SignedInClerkAsync();

        app.Clock.Advance(Timeout * 0.4);
        var keepAlive = await client.GetAsync("/Account/KeepAlive");
        app.Clock.Advance(Timeout * 0.75);

        Assert.Equal(HttpStatusCode.NoContent, keepAlive.StatusCode);
        Assert.Contains(keepAlive.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Ausgabebox.Auth=", StringComparison.Ordinal));
        Assert.True(keepAlive.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dokumente")).StatusCode);
    }

    [Fact]
    public async Task PageRequestEarlyInTheWindow_DoesNotRenew_SoOnlyInputKeepsAnOpenPageSignedIn()
    {
        var client = await SignedInClerkAsync();

        app.Clock.Advance(Timeout * 0.4);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dokumente")).StatusCode);
        app.Clock.Advance(Timeout * 0.75);

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/dokumente")).StatusCode);
    }

    [Fact]
    public async Task KeepAlive_WithoutASignIn_IsRefused()
    {
        var response = await app.CreateBrowserClient().GetAsync("/Account/KeepAlive");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<HttpClient> SignedInClerkAsync()
    {
        var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, "sachbearbeitung@demo.local", DemoStaff.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dokumente")).StatusCode);
        return client;
    }
}
