using System.Reflection;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>
/// Screenshots for a person to look at (the browser itself is <see cref="BackOffice.Testing.Browsers.HeadlessChromium"/>).
/// </summary>
public static class Browser
{
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
