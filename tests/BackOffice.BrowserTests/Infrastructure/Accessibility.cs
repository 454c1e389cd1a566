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
        // Every rule still runs on every element; only the passing, incomplete and inapplicable results are reported
        // with one node each instead of all of them. On the 620-cell grid, carrying every passing node from the page
        // into .NET took most of a run's time.
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = RunOnlyOptions.Tags([.. WcagTags]),
            ResultTypes = [ResultType.Violations],
        });

        Assert.True(result.Violations.Length == 0, Describe(page.Url, result.Violations));
        // axe ran the rules asked for: a run that checked nothing would pass silently.
        Assert.NotEmpty(result.Passes);
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
