using BackOffice.BrowserTests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests.A11y;

/// <summary>
/// The accessibility check itself (<see cref="Accessibility"/>), on a page made to break WCAG rules: it names each
/// broken rule, also inside an iframe, and it finds exactly what Deque's default (partial) mode finds.
/// </summary>
public sealed class AxeCheckTests(Chromium chromium) : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    private const string BrokenPage =
        """
        <!doctype html>
        <html><head><title>Kaputt</title></head>
        <body>
          <main>
            <h1>Kaputt</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            <input type="text">
            <button></button>
            <p style="color:#bbb;background:#fff">Kaum lesbar</p>
            <iframe title="Eingebettet" src="/frame"></iframe>
          </main>
        </body></html>
        """;

    private const string FramePage =
        """
        <!doctype html>
        <html lang="de"><head><title>Innen</title></head>
        <body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>
        """;

    private static readonly string[] BrokenRules = ["button-name", "color-contrast", "html-has-lang", "image-alt", "label"];

    [Fact]
    public async Task ABrokenPage_FailsTheCheck_NamingEveryBrokenRule_AlsoInsideAnIframe()
    {
        var page = await OpenAsync(BrokenPage);

        var result = await Accessibility.RunAsync(page);

        Assert.Equal(BrokenRules, result.Violations.Select(v => v.Id).Order());
        var imageAlt = Assert.Single(result.Violations, v => v.Id == "image-alt");
        // One image in the page, one in the iframe: a node in a frame is targeted through the iframe's selector.
        Assert.Equal(2, imageAlt.Nodes.Length);
        Assert.Contains(imageAlt.Nodes, n => n.Target.ToString().Contains("iframe", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Accessibility.AssertNoViolationsAsync(page));
        Assert.StartsWith("5 WCAG 2.1 A/AA violation(s)", failure.Message, StringComparison.Ordinal);
        Assert.All(BrokenRules, rule => Assert.Contains($"- {rule} (", failure.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCheck_FindsWhatDequesDefaultModeFinds()
    {
        var page = await OpenAsync(BrokenPage);

        var ours = await Accessibility.RunAsync(page);
        var partial = await page.RunAxe(Accessibility.Options());

        Assert.Equal(Summarize(partial.Violations), Summarize(ours.Violations));
        Assert.Equal(partial.Passes.Select(p => p.Id).Order(), ours.Passes.Select(p => p.Id).Order());
    }

    [Fact]
    public async Task ASoundPage_PassesTheCheck()
    {
        var page = await OpenAsync(
            """
            <!doctype html>
            <html lang="de"><head><title>Gut</title></head>
            <body><main><h1>Gut</h1><label for="n">Name</label><input id="n" type="text"><button>Speichern</button></main></body></html>
            """);

        await Accessibility.AssertNoViolationsAsync(page);
    }

    private static string[] Summarize(AxeResultItem[] violations) =>
        [.. violations.SelectMany(v => v.Nodes.Select(n => $"{v.Id} {n.Target}")).Order()];

    /// <summary>The page served from an origin of its own (an iframe of the same origin, as an app would have).</summary>
    private async Task<IPage> OpenAsync(string html)
    {
        var context = await chromium.Browser.NewContextAsync();
        _contexts.Add(context);
        await context.RouteAsync("http://axe-check.test/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html; charset=utf-8",
            Body = route.Request.Url.EndsWith("/frame", StringComparison.Ordinal) ? FramePage : html,
        }));
        var page = await context.NewPageAsync();
        await page.GotoAsync("http://axe-check.test/");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
