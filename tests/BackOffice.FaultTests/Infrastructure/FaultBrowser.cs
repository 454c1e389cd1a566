using BackOffice.Testing.Browsers;
using Microsoft.Playwright;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// Debian's Chromium (<see cref="HeadlessChromium"/>), one for the whole suite: the clerk's and supervisor's operations
/// (loading, service opening, the SMS outbox) exist only as pages of the app, so the suite uses them as a person would.
/// </summary>
public sealed class FaultBrowser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync() => (_playwright, Browser) = await HeadlessChromium.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
