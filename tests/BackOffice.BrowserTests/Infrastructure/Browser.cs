using System.Reflection;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>
/// Screenshots and traces for a person to look at (the browser itself is <see cref="BackOffice.Testing.Browsers.HeadlessChromium"/>).
/// </summary>
public static class Browser
{
    /// <summary>
    /// <c>BACKOFFICE_SCREENSHOTS=1</c> asks for them: no test looks at a screenshot, and the hundred full-page
    /// screenshots cost about a seventh of the browser tier's CPU (Chromium laying out and encoding each whole page).
    /// </summary>
    private static bool Wanted { get; } = Environment.GetEnvironmentVariable("BACKOFFICE_SCREENSHOTS") == "1";

    /// <summary>
    /// <c>BACKOFFICE_TRACES=1</c> records a Playwright trace of every browser context (each action with the page before
    /// and after it, console and network) for chasing a test that fails only now and then; open one with
    /// <c>pwsh playwright.ps1 show-trace</c> or trace.playwright.dev.
    /// </summary>
    private static bool TracesWanted { get; } = Environment.GetEnvironmentVariable("BACKOFFICE_TRACES") == "1";

    /// <summary>Saves a screenshot under TestResults/screenshots in the repository when <see cref="Wanted"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (!Wanted)
        {
            return;
        }
        var folder = ResultsFolder("screenshots");
        // From the top: the layout's app bar and menu are fixed, and a page scrolled down would show them half-way.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    /// <summary>Starts recording a trace of <paramref name="context"/> when <see cref="TracesWanted"/>.</summary>
    public static async Task StartTraceAsync(IBrowserContext context)
    {
        if (TracesWanted)
        {
            await context.Tracing.StartAsync(new() { Screenshots = true, Snapshots = true });
        }
    }

    /// <summary>Saves the trace of <paramref name="context"/> under TestResults/traces, named after the running test.</summary>
    public static async Task SaveTraceAsync(IBrowserContext context)
    {
        if (!TracesWanted)
        {
            return;
        }
        var test = TestContext.Current.Test?.TestDisplayName ?? "trace";
        var name = string.Concat(test.Split(Path.GetInvalidFileNameChars())).Replace(' ', '_');
        var path = Path.Combine(ResultsFolder("traces"), $"{name[Math.Max(0, name.Length - 150)..]}-{DateTime.UtcNow:HHmmssfff}.zip");
        await context.Tracing.StopAsync(new() { Path = path });
    }

    private static string ResultsFolder(string name)
    {
        var root = typeof(Browser).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var folder = Path.Combine(root, "TestResults", name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
