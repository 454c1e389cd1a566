using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>What a browser does with hostile data: it shows it as text and runs none of it.</summary>
[Collection(DemoAppCollection.Name)]
public class SecurityTests(BrowserFixture fixture)
{
    private const string Script = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

    [Fact]
    public async Task ScriptInAHolderName_IsShownAsTextInTheListAndOnTheDocumentPage_AndNeverRuns()
    {
        // Every way in refuses markup in names now, so the name is put into the database directly, as data from
        // before that rule or from a restored backup could be.
        var id = await RegisterAsync("XSS-BROWSER-1", "C01X0XYZ1");
        await using (var connection = new Npgsql.NpgsqlConnection(fixture.Server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new Npgsql.NpgsqlCommand("""UPDATE documents SET "HolderName" = @name WHERE "Id" = @id""", connection);
            update.Parameters.AddWithValue("name", Script);
            update.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;

        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("document-grid")).ToContainTextAsync(Script);
        await AssertNothingRanAsync(page);
        await Browser.ScreenshotAsync(page, "script-name-list");

        await page.GotoAsync($"/dokumente/{id}");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("document-facts")).ToContainTextAsync(Script);
        await AssertNothingRanAsync(page);
        await Browser.ScreenshotAsync(page, "script-name-detail");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Import_FileOver10MB_IsRefusedWithAGermanMessageBeforeUpload()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/import");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "export.csv",
            MimeType = "text/csv",
            Buffer = new byte[10 * 1024 * 1024 + 1],
        });

        await Assertions.Expect(staff.Page.GetByTestId("import-file-error")).ToContainTextAsync("Die Datei ist größer als 10 MB.");
        await Assertions.Expect(staff.Page.GetByTestId("import-report")).ToHaveCountAsync(0);
    }

    private static async Task AssertNothingRanAsync(IPage page)
    {
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"), "The name's script or handler ran.");
        Assert.False(await page.EvaluateAsync<bool>("() => [...document.scripts].some(s => s.textContent.includes('__xss'))"));
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
    }

    private async Task<Guid> RegisterAsync(string reference, string number)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", "development-only-registration-api-key-0001");
        var response = await http.PostAsJsonAsync("/api/v1/documents", new
        {
            type = "Passport", documentNumber = number, holderName = "Vorher Harmlos", dateOfBirth = "1979-04-01",
            mobileNumber = "+49 170 1234567", applicationReference = reference, boxCode = "DLZ-1",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}

/// <summary>An app whose staff sessions end after 8 seconds without input.</summary>
public sealed class ShortIdleFixture(Chromium chromium) : BrowserFixture(chromium)
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(8);

    protected override IReadOnlyDictionary<string, string>? Settings { get; } =
        new Dictionary<string, string> { ["Security__IdleTimeout"] = "00:00:08" };
}

/// <summary>Idle staff are signed out: the open page goes to the sign-in page with a notice, and the cookie is gone too.</summary>
public class IdleSignOutTests(ShortIdleFixture fixture) : IClassFixture<ShortIdleFixture>
{
    [Fact]
    public async Task Clerk_WorkingLongerThanTheTimeout_StaysSignedIn_ThenIdle_IsSignedOutWithANotice()
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;
        await staff.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente");
        await staff.WaitForCircuitAsync();

        // Working: pointer and keyboard input for longer than the timeout.
        var working = DateTime.UtcNow + ShortIdleFixture.IdleTimeout * 1.5;
        for (var i = 0; DateTime.UtcNow < working; i++)
        {
            await page.Mouse.MoveAsync(200 + (i % 2 * 40), 300);
            await page.Keyboard.PressAsync("Shift");
            await Task.Delay(700, TestContext.Current.CancellationToken);
        }
        Assert.EndsWith("/dokumente", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Jana Neumann");
        // A new page load works too: the cookie was renewed while working.
        await page.GotoAsync("/dokumente");
        await staff.WaitForCircuitAsync();
        Assert.EndsWith("/dokumente", page.Url, StringComparison.Ordinal);

        // Idle: the page signs itself out and says why.
        await page.WaitForURLAsync("**/Account/Login?**", new() { Timeout = 30_000 });
        Assert.Contains("reason=idle", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("login-notice"))
            .ToHaveTextAsync("Sie wurden abgemeldet, weil längere Zeit keine Eingabe erfolgte. Bitte melden Sie sich erneut an.");
        await Browser.ScreenshotAsync(page, "idle-signed-out");

        // The cookie expired with it: opening a page again asks for the password.
        await page.GotoAsync("/dokumente");
        await page.WaitForURLAsync("**/Account/Login?**");
        await Assertions.Expect(page.GetByLabel("Passwort")).ToBeVisibleAsync();
    }
}

/// <summary>An app that allows two sign-in attempts per user name and minute.</summary>
public sealed class LowSignInLimitFixture(Chromium chromium) : BrowserFixture(chromium)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } =
        new Dictionary<string, string> { ["RateLimits__SignInPerAccount__PermitLimit"] = "2" };
}

public class SignInLimitTests(LowSignInLimitFixture fixture) : IClassFixture<LowSignInLimitFixture>
{
    [Fact]
    public async Task TooManySignInAttempts_ShowTheGermanRefusalInTheBrowser()
    {
        await using var staff = await fixture.NewPageAsync();

        await staff.SignInAsync("teamleitung@demo.local", "Falsches-Passwort-1");
        await Assertions.Expect(staff.Page.GetByTestId("login-error")).ToHaveTextAsync("E-Mail-Adresse oder Passwort ist falsch.");
        await staff.SignInAsync("teamleitung@demo.local", "Falsches-Passwort-1");
        await Assertions.Expect(staff.Page.GetByTestId("login-error")).ToHaveTextAsync("E-Mail-Adresse oder Passwort ist falsch.");
        await staff.SignInAsync("teamleitung@demo.local");

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Zu viele Anmeldeversuche" })).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByTestId("rate-limit-message")).ToContainTextAsync("Bitte warten Sie");
        await Browser.ScreenshotAsync(staff.Page, "sign-in-rate-limited");
        await Assertions.Expect(staff.Page.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
    }
}
