using System.Net;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

[Collection(DemoAppCollection.Name)]
public class ShellTests(BrowserFixture fixture)
{
    [Fact]
    public async Task BlazorScript_IsServedByTheRealServer()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };

        var response = await http.GetAsync("/_framework/blazor.web.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.True(script.Length > 100_000, $"blazor.web.js is only {script.Length} characters.");
        Assert.Contains("Blazor", script, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), "Kestrel must not announce itself.");
    }

    [Fact]
    public async Task Clerk_SignsInAndChecksTheStatus_WithoutAPageReload()
    {
        await using var staff = await fixture.NewPageAsync();
        var page = staff.Page;

        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Jana Neumann");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Übersicht" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("box-overview")).ToContainTextAsync("DLZ-1");
        await Assertions.Expect(page.GetByTestId("box-overview")).ToContainTextAsync("620 von 620");

        // A marker on window survives only if the page is not reloaded.
        await page.EvaluateAsync("() => window.__noReload = 'still here'");
        await page.GetByTestId("check-status").ClickAsync();

        await Assertions.Expect(page.GetByTestId("status-result")).ToContainTextAsync("Datenbank");
        await Assertions.Expect(page.GetByTestId("status-result")).ToContainTextAsync("in Ordnung");
        await Assertions.Expect(page.GetByText("Alle Dienste sind erreichbar.")).ToBeVisibleAsync();
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.__noReload"));
        await Browser.ScreenshotAsync(page, "overview-clerk");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task AskingForReducedMotion_StopsTheSpinners_WhichOtherwiseTurn()
    {
        await using var staff = await fixture.NewPageAsync(); // the test contexts ask for reduced motion
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();
        // MudBlazor's spinner as the loading page shows it while the door is open, and the reports' own.
        await staff.Page.EvaluateAsync("""
            () => document.body.insertAdjacentHTML('beforeend',
                '<div id="spin" class="mud-progress-circular mud-progress-indeterminate"><svg class="mud-progress-circular-svg">'
                + '<circle class="mud-progress-circular-circle mud-progress-indeterminate"></circle></svg></div>'
                + '<div id="report" class="app-report-status app-report-busy"></div>')
            """);
        const string Iterations = """
            () => [getComputedStyle(document.getElementById('spin')).animationIterationCount,
                getComputedStyle(document.querySelector('#spin circle')).animationIterationCount,
                getComputedStyle(document.getElementById('report'), '::before').animationIterationCount]
            """;

        Assert.Equal(["1", "1", "1"], await staff.Page.EvaluateAsync<string[]>(Iterations));
        await staff.Page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.NoPreference });
        Assert.Equal(["infinite", "infinite", "infinite"], await staff.Page.EvaluateAsync<string[]>(Iterations));
    }

    [Fact]
    public async Task TypedUnknownAddress_ShowsTheGermanNotFoundPageInTheShell_AndTheApiKeepsItsOwnAnswer()
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();

        var response = await staff.Page.GotoAsync("/gibt-es-nicht");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Seite nicht gefunden" })).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByTestId("signed-in-user")).ToHaveTextAsync("Jana Neumann");
        await staff.WaitForCircuitAsync();
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, "not-found-typed-1366x768");

        // Not a page (a program asking with the same sign-in): the bare status it expects, no HTML.
        var api = await staff.Page.Context.APIRequest.GetAsync("/api/gibt-es-nicht",
            new() { Headers = new Dictionary<string, string> { ["Accept"] = "application/json" } });
        Assert.Equal(404, api.Status);
        Assert.Empty(await api.BodyAsync());
    }

    [Fact]
    public async Task Clerk_OpensTheAdministrationUrl_SeesAccessDenied()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Link, new() { Name = "Verwaltung" })).ToHaveCountAsync(0);
        var response = await staff.Page.GotoAsync("/verwaltung");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Zugriff verweigert" })).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByTestId("staff-grid")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(staff.Page, "access-denied-clerk");
    }

    [Fact]
    public async Task Clerk_NavigatesToTheAdministrationInsideTheCircuit_SeesAccessDenied()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();

        await staff.Page.EvaluateAsync("() => Blazor.navigateTo('/verwaltung')");

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Zugriff verweigert" })).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByTestId("staff-grid")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Admin_OpensTheAdministrationFromTheNavigation_SeesTheStaffAccounts()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("admin@demo.local");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByRole(AriaRole.Link, new() { Name = "Verwaltung" }).ClickAsync();

        await Assertions.Expect(staff.Page).ToHaveURLAsync(new Uri(fixture.Server.BaseAddress, "/verwaltung").ToString());
        var grid = staff.Page.GetByTestId("staff-grid");
        await Assertions.Expect(grid).ToContainTextAsync("Jana Neumann");
        await Assertions.Expect(grid).ToContainTextAsync("Teamleitung");
        await Browser.ScreenshotAsync(staff.Page, "administration-admin");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task WrongPassword_ShowsTheGermanErrorOnTheSignInPage()
    {
        await using var staff = await fixture.NewPageAsync();

        await staff.SignInAsync("teamleitung@demo.local", "Falsches-Passwort-1");

        await Assertions.Expect(staff.Page.GetByTestId("login-error")).ToHaveTextAsync("E-Mail-Adresse oder Passwort ist falsch.");
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung" })).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(staff.Page, "sign-in-refused");
    }

    [Fact]
    public async Task SignOut_ReturnsToTheSignInPage()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("teamleitung@demo.local");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung" })).ToBeVisibleAsync();
        await staff.Page.GotoAsync("/");
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignOut_EndsTheOpenPagesOfThatSignInAtOnce_AndNoOtherSignIn()
    {
        // A dashboard left open in a second tab of the counter's browser, and the same person signed in at another counter.
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("teamleitung@demo.local", path: "/faecher/DLZ-1");
        await staff.WaitForGridAsync();
        var secondTab = new StaffPage(await staff.Page.Context.NewPageAsync());
        await secondTab.Page.GotoAsync("/dokumente");
        await secondTab.WaitForCircuitAsync();
        await using var otherCounter = await fixture.NewPageAsync();
        await otherCounter.SignInAsync("teamleitung@demo.local", path: "/faecher/DLZ-1");
        await otherCounter.WaitForGridAsync();

        await staff.Page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Anmeldung" })).ToBeVisibleAsync();

        // The open tab goes to the sign-in page by itself, long before the circuit's own check (every few minutes).
        await secondTab.Page.WaitForURLAsync("**/Account/Login?**", new() { Timeout = 15_000 });
        await Assertions.Expect(secondTab.Page.GetByLabel("Passwort")).ToBeVisibleAsync();
        // The other counter's sign-in goes on: its page still answers.
        await otherCounter.Page.Locator("[data-testid=compartment-grid] [role=gridcell][data-label='01-01']").ClickAsync();
        await Assertions.Expect(otherCounter.Page.GetByTestId("cell-details")).ToContainTextAsync("01-01");
        Assert.EndsWith("/faecher/DLZ-1", otherCounter.Page.Url, StringComparison.Ordinal);
    }
}

/// <summary>Has a server of its own: it stops it.</summary>
public class ReconnectTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ServerGone_ShowsTheGermanReconnectNotice()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();

        fixture.Server.Kill();

        var notice = staff.Page.Locator("#components-reconnect-modal");
        await Assertions.Expect(notice).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(notice).ToContainTextAsync("Verbindung");
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, "reconnect-notice");
    }
}
