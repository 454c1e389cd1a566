using Microsoft.Playwright;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, one for the whole suite: the clerk's and supervisor's operations (loading,
/// service opening, the SMS outbox) exist only as pages of the app, so the suite uses them as a person would.
/// </summary>
public sealed class FaultBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("BACKOFFICE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
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
