using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>
/// axe-core (Deque.AxeCore.Playwright 4.14) on a page as the person sees it now: the WCAG 2.0 and 2.1 rules of levels
/// A and AA, which BITV 2.0 asks of German public-sector software. Call it from any page test once the page shows
/// what is to be checked (a dialog open, a message shown); it fails naming every violation and the elements.
/// </summary>
public static class Accessibility
{
    public static IReadOnlyList<string> WcagTags { get; } = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>The clerk's screen at the counter.</summary>
    public static Task UseClerkScreenAsync(IPage page) => page.SetViewportSizeAsync(1366, 768);

    public static async Task AssertNoViolationsAsync(IPage page)
    {
        var result = await RunAsync(page);

        Assert.True(result.Violations.Length == 0, Describe(page.Url, result.Violations));
        // axe ran the rules asked for: a run that checked nothing would pass silently.
        Assert.NotEmpty(result.Passes);
    }

    /// <summary>The rules checked: the WCAG 2.0/2.1 A and AA tags; only violations come back with all their nodes.</summary>
    public static AxeRunOptions Options() => new()
    {
        RunOnly = RunOnlyOptions.Tags([.. WcagTags]),
        ResultTypes = [ResultType.Violations],
    };

    /// <summary>
    /// axe-core's <c>axe.run</c> in the page itself, with <see cref="Options"/>: every rule runs on every element; the
    /// passing, incomplete and inapplicable results come back with one node each.
    /// </summary>
    /// <remarks>
    /// Deque's default <c>RunAxe</c> runs the rules through <c>axe.runPartial</c>, made for cross-origin iframes: every
    /// node's result of every rule travels from the page through Playwright's driver into .NET and back into a blank
    /// page opened for axe's <c>finishRun</c>, which only then drops the passing nodes. On the 620-cell grid that took
    /// 2.7 s a check, 0.7 s this way (the occupancy test class: 66 → 41 CPU-s). The app has no iframes, and this
    /// "legacy" mode still reaches any it might add (axe is injected into every frame); <c>AxeCheckTests</c> shows both
    /// modes find the same violations.
    /// </remarks>
    public static async Task<AxeResult> RunAsync(IPage page)
    {
#pragma warning disable CS0618 // "Legacy Mode is being removed in the future": AxeCheckTests fails if it goes or changes.
        return await page.RunAxeLegacy(options: Options());
#pragma warning restore CS0618
    }

    private static string Describe(string url, AxeResultItem[] violations)
    {
        var text = new StringBuilder($"{violations.Length} WCAG 2.1 A/AA violation(s) on {url}:");
        foreach (var violation in violations)
        {
            text.AppendLine().Append(System.Globalization.CultureInfo.InvariantCulture,
                $"- {violation.Id} ({violation.Impact}): {violation.Help} {violation.HelpUrl}");
            foreach (var node in violation.Nodes.Take(10))
            {
                text.AppendLine().Append(System.Globalization.CultureInfo.InvariantCulture, $"    {node.Target}: {node.Html}");
            }
        }
        return text.ToString();
    }
}
