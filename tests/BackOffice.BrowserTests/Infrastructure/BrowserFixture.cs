using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>Like <see cref="BrowserFixture"/>, plus the real bridge process keeping DLZ-1 online.</summary>
public sealed class LiveBoxFixture : BrowserFixture
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.StartBridgeAsync();
    }
}

/// <summary>A live box with the bridge's panel simulator page, for pickups as a citizen makes them.</summary>
public sealed class PanelBoxFixture : BrowserFixture
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.StartBridgeAsync(panel: true);
    }
}

/// <summary>
/// A live box whose silence is noticed within seconds: the app counts a box offline after 5 s without a heartbeat,
/// and the bridge sends one every second.
/// </summary>
public sealed class QuickHeartbeatFixture : BrowserFixture
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } =
        new Dictionary<string, string> { ["Bridge__HeartbeatTimeout"] = "00:00:05" };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.StartBridgeAsync(heartbeatInterval: TimeSpan.FromSeconds(1));
    }
}

/// <summary>One running app and one browser per test class; each test gets its own browser context (own cookies).</summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public AppServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Extra app configuration for this fixture's server.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public virtual async ValueTask InitializeAsync()
    {
        // Playwright's 5 s default is too short when all test tiers share two cores: a CSV import over the circuit took
        // longer under load. The wait still ends the moment the expected text appears.
        Assertions.SetDefaultExpectTimeout(15_000);
        Server = await AppServer.StartAsync(GetType().Name, Settings);
        (_playwright, Browser) = await Infrastructure.Browser.LaunchAsync();
    }

    /// <summary>A fresh page whose console errors (CSP violations, script errors) are collected.</summary>
    public async Task<StaffPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            Locale = "de-DE",
            TimezoneId = "Europe/Berlin",
            ViewportSize = new ViewportSize { Width = 1366, Height = 850 },
        });
        var page = await context.NewPageAsync();
        return new StaffPage(page);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
