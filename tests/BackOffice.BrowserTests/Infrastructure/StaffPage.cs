using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>
/// A browser page plus what a member of staff does on it, and the console errors it collected. What happened in the
/// page (navigations, console lines, the circuit's reconnects) goes to the test's output when the page is closed, with
/// where it ended: a test that fails now and then under load says what the page went through (the console logger
/// shows a test's output only when it failed).
/// </summary>
public sealed class StaffPage : IAsyncDisposable
{
    public const string DemoPassword = "Demo-Passwort-2026";

    private const int LogLineLength = 300;

    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _log = [];
    private readonly DateTime _opened = DateTime.UtcNow;

    public StaffPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            Log($"console {message.Type}: {message.Text}");
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            Log($"page error: {error}");
            lock (_consoleErrors)
            {
                _consoleErrors.Add(error);
            }
        };
        page.FrameNavigated += (_, frame) =>
        {
            if (frame.ParentFrame is null)
            {
                Log($"navigated to {frame.Url}");
            }
        };
        page.Crash += (_, _) => Log("page crashed");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_consoleErrors)
            {
                return [.. _consoleErrors];
            }
        }
    }

    /// <summary>Fills in and submits the sign-in form, starting from <paramref name="path"/>.</summary>
    public async Task SignInAsync(string email, string password = DemoPassword, string path = "/")
    {
        await Page.GotoAsync(path);
        await Page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await Page.GetByLabel("Passwort").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
    }

    /// <summary>
    /// Types <paramref name="text"/> where the cursor is, as a clerk does once a dialog opened, after checking that the
    /// cursor is in <paramref name="field"/> (the dialog's AutoFocus field) and that the untouched field is not flagged.
    /// </summary>
    public async Task TypeWhereTheCursorIsAsync(ILocator field, string text)
    {
        await Assertions.Expect(field).ToBeFocusedAsync();
        await Assertions.Expect(field).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Page.Keyboard.InsertTextAsync(text);
    }

    /// <summary>Waits until the page runs interactively over its circuit (the layout marks itself), so clicks reach the server.</summary>
    public Task WaitForCircuitAsync() => Page.Locator("main[data-interactive=true]").WaitForAsync();

    /// <summary>
    /// Waits until a dashboard's compartment grid takes clicks and keys: its handlers come from a script module attached
    /// after the first interactive render, and the grid marks itself then.
    /// </summary>
    public async Task WaitForGridAsync()
    {
        await WaitForCircuitAsync();
        await Page.Locator("[data-testid=compartment-grid][data-attached=true]").WaitForAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await WriteLogAsync();
        await Browser.SaveTraceAsync(Page.Context);
        await Page.Context.CloseAsync();
    }

    private void Log(string line)
    {
        var entry = $"+{(DateTime.UtcNow - _opened).TotalSeconds,6:0.00} s {line.ReplaceLineEndings(" ")}";
        lock (_log)
        {
            _log.Add(entry.Length <= LogLineLength ? entry : entry[..LogLineLength] + " …");
        }
    }

    private async Task WriteLogAsync()
    {
        if (TestContext.Current.TestOutputHelper is not { } output)
        {
            return;
        }
        string end;
        try
        {
            // Where the page ended: its address, whether the reconnect dialog is up, and the start of what it shows.
            end = await Page.EvaluateAsync<string>("""
                () => `${location.href} | reconnect dialog ${document.getElementById('components-reconnect-modal')?.open ? `open (${document.getElementById('components-reconnect-modal').className})` : 'closed'}`
                    + ` | interactive ${document.querySelector('main')?.dataset.interactive ?? '-'} | ${(document.querySelector('main') ?? document.body)?.innerText.replace(/\s+/g, ' ').slice(0, 600)}`
                """);
        }
        catch (PlaywrightException ex)
        {
            end = $"(page not readable: {ex.Message.Split('\n')[0]})";
        }
        lock (_log)
        {
            output.WriteLine($"Page log ({_log.Count} entries):");
            foreach (var line in _log)
            {
                output.WriteLine(line);
            }
        }
        output.WriteLine($"Page at the end: {end}");
    }
}
