using System.Text.RegularExpressions;
using BackOffice.BrowserTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>
/// An app of its own: its open pages revalidate their sign-in every 2 seconds (a disabled account's page must end within
/// the test), and admins must use a second factor (the production rule; the demo settings turn it off).
/// </summary>
public sealed class AccountsFixture(Chromium chromium) : BrowserFixture(chromium)
{
    protected override IReadOnlyDictionary<string, string>? Settings { get; } = new Dictionary<string, string>
    {
        ["Security__RevalidationInterval"] = "00:00:02",
        ["Authentication__RequireAdminTwoFactor"] = "true",
    };
}

/// <summary>Verwaltung → Mitarbeiterkonten and the second factor, through the real UI.</summary>
public partial class AccountsWalkTests(AccountsFixture fixture) : IClassFixture<AccountsFixture>
{
    private const string ClerkPassword = "Mein-Eigenes-Passwort-7";

    [Fact]
    public async Task AdminCreatesAClerk_WhoSetsAPasswordAndAnAuthenticator_AndIsSignedOutWhenDisabled()
    {
        await using var admin = await fixture.NewPageAsync();
        var adminPage = admin.Page;
        await Accessibility.UseClerkScreenAsync(adminPage);

        // The demo admin has no second factor: the sign-in sends them to the enrolment before anything else.
        await admin.SignInAsync("admin@demo.local", path: "/verwaltung/konten");
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Heading, new() { Name = "Authenticator-App einrichten" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(adminPage);
        await Browser.ScreenshotAsync(adminPage, "signin-enrol-1366x768");
        var adminKey = await adminPage.GetByTestId("authenticator-key").InnerTextAsync();
        await adminPage.GetByLabel("Code aus der App").FillAsync(Totp.Code(adminKey));
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();
        await Assertions.Expect(adminPage.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await Accessibility.AssertNoViolationsAsync(adminPage);
        await Browser.ScreenshotAsync(adminPage, "signin-recovery-codes-1366x768");
        await adminPage.GetByTestId("step-continue").ClickAsync();

        // The accounts page; a new clerk with a one-time password shown once.
        await admin.WaitForCircuitAsync();
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Heading, new() { Name = "Mitarbeiterkonten" })).ToBeVisibleAsync();
        await Assertions.Expect(adminPage.GetByTestId("accounts-grid")).ToContainTextAsync("admin@demo.local");
        await Accessibility.AssertNoViolationsAsync(adminPage);
        await Browser.ScreenshotAsync(adminPage, "staff-accounts-1366x768");
        await adminPage.GetByTestId("new-account").ClickAsync();
        var email = $"walk-{Guid.NewGuid():N}"[..13] + "@stadt.example";
        await admin.TypeWhereTheCursorIsAsync(adminPage.GetByTestId("account-email"), email);
        await adminPage.GetByTestId("account-name").FillAsync("Karla Kasse");
        await Accessibility.AssertNoViolationsAsync(adminPage);
        await Browser.ScreenshotAsync(adminPage, "staff-account-new-1366x768");
        await adminPage.GetByTestId("account-create").ClickAsync();
        var oneTimeField = adminPage.GetByTestId("one-time-password");
        await Assertions.Expect(oneTimeField).ToHaveValueAsync(OneTimeShape());
        var oneTime = await oneTimeField.InputValueAsync();
        await Accessibility.AssertNoViolationsAsync(adminPage);
        await Browser.ScreenshotAsync(adminPage, "staff-account-one-time-password-1366x768");
        await adminPage.GetByTestId("one-time-password-close").ClickAsync();
        var clerkRow = adminPage.GetByTestId("accounts-grid").Locator("tbody tr").Filter(new() { HasText = email });
        await Assertions.Expect(clerkRow).ToContainTextAsync("Einmalpasswort noch nicht geändert");

        // The clerk signs in with it and must set a password of their own first.
        await using var clerk = await fixture.NewPageAsync();
        var clerkPage = clerk.Page;
        await Accessibility.UseClerkScreenAsync(clerkPage);
        await clerk.SignInAsync(email, oneTime);
        await Assertions.Expect(clerkPage.GetByRole(AriaRole.Heading, new() { Name = "Neues Passwort festlegen" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(clerkPage);
        await Browser.ScreenshotAsync(clerkPage, "signin-new-password-1366x768");
        await clerkPage.GetByLabel("Neues Passwort", new() { Exact = true }).FillAsync(ClerkPassword);
        await clerkPage.GetByLabel("Neues Passwort wiederholen").FillAsync(ClerkPassword);
        await clerkPage.GetByRole(AriaRole.Button, new() { Name = "Passwort speichern" }).ClickAsync();
        await clerk.WaitForCircuitAsync();

        // … sets up an authenticator app on "Zwei-Faktor-Anmeldung" …
        await clerkPage.GetByRole(AriaRole.Link, new() { Name = "Zwei-Faktor-Anmeldung" }).ClickAsync();
        await Assertions.Expect(clerkPage.GetByTestId("two-factor-state")).ToContainTextAsync("nicht eingerichtet");
        await Accessibility.AssertNoViolationsAsync(clerkPage);
        await Browser.ScreenshotAsync(clerkPage, "two-factor-settings-1366x768");
        await clerkPage.GetByTestId("two-factor-begin").ClickAsync();
        var key = await clerkPage.GetByTestId("authenticator-key").InnerTextAsync();
        await Accessibility.AssertNoViolationsAsync(clerkPage);
        await Browser.ScreenshotAsync(clerkPage, "two-factor-enrol-1366x768");
        await clerkPage.GetByTestId("two-factor-code").FillAsync(Totp.Code(key));
        await clerkPage.GetByTestId("two-factor-confirm").ClickAsync();
        await Assertions.Expect(clerkPage.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await clerkPage.GetByTestId("recovery-codes-done").ClickAsync();
        await Assertions.Expect(clerkPage.GetByTestId("two-factor-state")).ToContainTextAsync("ist eingerichtet");

        // … signs out, and in again with password and code.
        await clerkPage.GetByRole(AriaRole.Button, new() { Name = "Abmelden" }).ClickAsync();
        await clerk.SignInAsync(email, ClerkPassword);
        await Assertions.Expect(clerkPage.GetByRole(AriaRole.Heading, new() { Name = "Bestätigungscode" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(clerkPage);
        await Browser.ScreenshotAsync(clerkPage, "signin-code-1366x768");
        // The code that confirmed the enrolment is taken once; the phone's next one (a step early, as from a clock a little ahead).
        await clerkPage.GetByLabel("Code", new() { Exact = true }).FillAsync(Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        await clerkPage.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await clerk.WaitForCircuitAsync();
        await Assertions.Expect(clerkPage.GetByRole(AriaRole.Link, new() { Name = "Dokumente" })).ToBeVisibleAsync();

        // The admin disables the clerk: the clerk's open page ends at its next revalidation.
        await adminPage.ReloadAsync();
        await admin.WaitForCircuitAsync();
        await Assertions.Expect(clerkRow.GetByTestId("account-two-factor")).ToHaveTextAsync("eingerichtet");
        await clerkRow.GetByTestId("account-actions").ClickAsync();
        await adminPage.GetByTestId("account-disable").ClickAsync();
        await adminPage.Locator(".mud-dialog-actions").GetByRole(AriaRole.Button, new() { Name = "Deaktivieren" }).ClickAsync();
        await Assertions.Expect(clerkRow.GetByTestId("account-state")).ToHaveTextAsync("deaktiviert");

        await Assertions.Expect(clerkPage).ToHaveURLAsync(LoginPage(), new() { Timeout = 20_000 });
        await Assertions.Expect(clerkPage.GetByLabel("E-Mail-Adresse")).ToBeVisibleAsync();
        Assert.Empty(admin.ConsoleErrors);
    }

    [GeneratedRegex("^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$")]
    private static partial Regex OneTimeShape();

    [GeneratedRegex("/Account/Login")]
    private static partial Regex LoginPage();
}
