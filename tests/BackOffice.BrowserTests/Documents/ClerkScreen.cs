using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Documents;

/// <summary>Checks that what a table shows fits the clerk's 1366×768 screen: nothing cut, nothing off the right edge.</summary>
internal static class ClerkScreen
{
    /// <summary>
    /// Every header and cell of the tables under <paramref name="container"/>: its text fits its box (or the element,
    /// or something in it, carries the full text as a title), and the cell ends inside the window.
    /// </summary>
    public static async Task AssertNothingCutAsync(ILocator container)
    {
        var problems = await container.EvaluateAsync<string[]>(
            """
            root => [...root.querySelectorAll('th, td')].flatMap(cell => {
                const text = cell.innerText.trim();
                if (!text) return [];
                const found = [];
                const titled = cell.title || cell.querySelector('[title]');
                const cut = [cell, ...cell.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible');
                if (cut && !titled) found.push(`cut: "${text}"`);
                const right = cell.getBoundingClientRect().right;
                if (right > window.innerWidth + 0.5) found.push(`off screen (${Math.round(right)} px): "${text}"`);
                return found;
            })
            """);
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }
}
