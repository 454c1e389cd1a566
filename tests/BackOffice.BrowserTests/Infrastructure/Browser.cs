using System.Reflection;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), headless and offline.</summary>
public static class Browser
{
    public static string ExecutablePath { get; } =
        Environment.GetEnvironmentVariable("BACKOFFICE_CHROMIUM") ?? "/usr/bin/chromium";

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
