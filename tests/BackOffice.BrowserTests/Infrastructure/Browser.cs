using System.Reflection;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), headless and offline.</summary>
public static class Browser
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
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
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

    /// <summary>Saves a screenshot under TestResults/screenshots in the repository, for a person to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var root = typeof(Browser).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var folder = Path.Combine(root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        // From the top: the layout's app bar and menu are fixed, and a page scrolled down would show them half-way.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
