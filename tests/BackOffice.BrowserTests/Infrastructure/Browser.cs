using System.Reflection;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>
/// Screenshots for a person to look at (the browser itself is <see cref="BackOffice.Testing.Browsers.HeadlessChromium"/>).
/// </summary>
public static class Browser
{
    /// <summary>
    /// <c>BACKOFFICE_SCREENSHOTS=1</c> asks for them: no test looks at a screenshot, and the hundred full-page
    /// screenshots cost about a seventh of the browser tier's CPU (Chromium laying out and encoding each whole page).
    /// </summary>
    private static bool Wanted { get; } = Environment.GetEnvironmentVariable("BACKOFFICE_SCREENSHOTS") == "1";

    /// <summary>Saves a screenshot under TestResults/screenshots in the repository when <see cref="Wanted"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (!Wanted)
        {
            return;
        }
        var root = typeof(Browser).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var folder = Path.Combine(root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        // From the top: the layout's app bar and menu are fixed, and a page scrolled down would show them half-way.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
