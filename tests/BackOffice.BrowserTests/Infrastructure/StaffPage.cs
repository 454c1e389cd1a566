using Microsoft.Playwright;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>A browser page plus what a member of staff does on it, and the console errors it collected.</summary>
public sealed class StaffPage : IAsyncDisposable
{
    public const string DemoPassword = "Demo-Passwort-2026";

    private readonly List<string> _consoleErrors = [];

    public StaffPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
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
            lock (_consoleErrors)
            {
                _consoleErrors.Add(error);
            }
        };
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
        await Browser.SaveTraceAsync(Page.Context);
        await Page.Context.CloseAsync();
    }
}
