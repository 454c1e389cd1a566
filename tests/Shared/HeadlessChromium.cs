using Microsoft.Playwright;

namespace BackOffice.Testing.Browsers;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), headless and offline: one source file, linked
/// into the browser and fault suites (the Playwright package stays out of the projects that need no browser).
/// </summary>
public static class HeadlessChromium
{
    /// <summary>
    /// Debian's headless shell of Chromium by default: the same Blink and V8 as its full browser without the browser's
    /// user interface, as Playwright itself runs headless tests; it costs the two-core test run about half the CPU of the
    /// full browser in new headless mode. <c>BACKOFFICE_CHROMIUM</c> picks another (e.g. <c>/usr/bin/chromium</c>).
    /// </summary>
    public static string ExecutablePath { get; } =
        Environment.GetEnvironmentVariable("BACKOFFICE_CHROMIUM") ?? "/usr/bin/chromium-headless-shell";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        return (playwright, browser);
    }

    /// <summary>
    /// A staff member's browser: German, Berlin time, 1366 px wide (tests of the clerk's whole 1366×768 screen set that
    /// height themselves); and asking for reduced motion, which the app honours (app.css), so a spinner left on screen
    /// while a test waits does not keep the two cores repainting.
    /// </summary>
    public static BrowserNewContextOptions StaffContext(Uri baseAddress) => new()
    {
        BaseURL = baseAddress.ToString(),
        Locale = "de-DE",
        TimezoneId = "Europe/Berlin",
        ViewportSize = new ViewportSize { Width = 1366, Height = 850 },
        ReducedMotion = ReducedMotion.Reduce,
    };
}
