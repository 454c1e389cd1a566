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
                // Each piece of text must lie inside every box between it and the cell that clips (and inside the cell).
                let cut = false;
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (!node.textContent.trim()) continue;
                    // Text for screen readers only (clipped to 1 px on purpose) is not shown, so not cut.
                    let hidden = false;
                    for (let e = node.parentElement; e && e !== cell.parentElement; e = e.parentElement) {
                        if (getComputedStyle(e).clip !== 'auto') hidden = true;
                    }
                    if (hidden) continue;
                    const range = document.createRange();
                    range.selectNodeContents(node);
                    const t = range.getBoundingClientRect();
                    for (let e = node.parentElement; e && e !== cell.parentElement; e = e.parentElement) {
                        if (e !== cell && getComputedStyle(e).overflowX === 'visible') continue;
                        const b = e.getBoundingClientRect();
                        if (t.right > b.right + 1 || t.left < b.left - 1) cut = true;
                    }
                }
                if (cut && !titled) found.push(`cut: "${text}"`);
                const right = cell.getBoundingClientRect().right;
                if (right > window.innerWidth + 0.5) found.push(`off screen (${Math.round(right)} px): "${text}"`);
                return found;
            })
            """);
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }
}
