using BackOffice.Testing.Browsers;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>One Chromium for the whole run (an assembly fixture); each test page gets a browser context of its own.</summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // Playwright's 5 s default is too short when all test tiers share two cores: a CSV import over the circuit took
        // longer under load. The wait still ends the moment the expected text appears.
        Assertions.SetDefaultExpectTimeout(15_000);
        (_playwright, Browser) = await HeadlessChromium.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}

/// <summary>
/// Test classes that only read the demo data or add data of their own (their own document numbers, compartments and
/// texts) share one app: none of them changes what another one relies on.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DemoAppCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Demo app";
}

/// <summary>Test classes that work with DLZ-1 online (its real bridge process connected) share one app and bridge.</summary>
[CollectionDefinition(Name)]
public sealed class LiveBoxCollection : ICollectionFixture<LiveBoxFixture>
{
    public const string Name = "Live box";
}

/// <summary>Like <see cref="BrowserFixture"/>, plus the real bridge process keeping DLZ-1 online.</summary>
public sealed class LiveBoxFixture(Chromium chromium) : BrowserFixture(chromium)
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.StartBridgeAsync();
    }
}

/// <summary>A live box with the bridge's panel simulator page, for pickups as a citizen makes them.</summary>
public sealed class PanelBoxFixture(Chromium chromium) : BrowserFixture(chromium)
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
public sealed class QuickHeartbeatFixture(Chromium chromium) : BrowserFixture(chromium)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } =
        new Dictionary<string, string> { ["Bridge__HeartbeatTimeout"] = "00:00:05" };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.StartBridgeAsync(heartbeatInterval: TimeSpan.FromSeconds(1));
    }
}

/// <summary>
/// One running app, shared by the test classes of a collection (<see cref="DemoAppCollection"/>) or owned by one class
/// (special settings, or a test that stops it), and the run's Chromium; each test gets its own browser context (own cookies).
/// </summary>
public class BrowserFixture(Chromium chromium) : IAsyncLifetime
{
    public AppServer Server { get; private set; } = null!;

    public IBrowser Browser => chromium.Browser;

    /// <summary>Extra app configuration for this fixture's server.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public virtual async ValueTask InitializeAsync() => Server = await AppServer.StartAsync(GetType().Name, Settings);

    /// <summary>For fixtures whose settings name the app's own address.</summary>
    protected async Task StartServerAsync(IReadOnlyDictionary<string, string> settings, Uri baseAddress) =>
        Server = await AppServer.StartAsync(GetType().Name, settings, baseAddress);

    /// <summary>A fresh page whose console errors (CSP violations, script errors) are collected.</summary>
    public async Task<StaffPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(HeadlessChromium.StaffContext(Server.BaseAddress));
        await Infrastructure.Browser.StartTraceAsync(context);
        var page = await context.NewPageAsync();
        return new StaffPage(page);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
