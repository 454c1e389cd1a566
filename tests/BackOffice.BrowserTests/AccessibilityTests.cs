using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>
/// The pages on MudBlazor pass axe-core's WCAG 2.1 A and AA rules at the clerk's 1366×768, as each role that may open
/// them: the sign-in page (empty and after a refusal), the shell with Übersicht, access denied and not found.
/// </summary>
public class AccessibilityTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignInPage_HasNoViolations_EmptyAndAfterARefusal()
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.Page.GotoAsync("/Account/Login");
        await Assertions.Expect(staff.Page.GetByLabel("E-Mail-Adresse")).ToBeFocusedAsync();

        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, "sign-in-1366x768");

        await staff.SignInAsync("teamleitung@demo.local", "Falsches-Passwort-1");
        await Assertions.Expect(staff.Page.GetByTestId("login-error")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk")]
    [InlineData("teamleitung@demo.local", "supervisor")]
    [InlineData("admin@demo.local", "admin")]
    public async Task Overview_InTheShell_HasNoViolations(string email, string role)
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync(email);
        await staff.WaitForCircuitAsync();
        await Assertions.Expect(staff.Page.GetByTestId("box-overview")).ToContainTextAsync("DLZ-1");

        await Accessibility.AssertNoViolationsAsync(staff.Page);

        // The status check's result and its notice.
        await staff.Page.GetByTestId("check-status").ClickAsync();
        await Assertions.Expect(staff.Page.GetByTestId("notice")).ToContainTextAsync("Alle Dienste sind erreichbar.");
        // Checked once faded in: half-way through its animation a notice is half transparent.
        await staff.Page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.mud-snackbar')].every(e => e.getAnimations().length === 0 && getComputedStyle(e).opacity === '1')");
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, $"overview-{role}-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task NavigationClosed_LeavesThePageTheWholeWidth_WithoutViolations()
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();
        var toggle = staff.Page.GetByRole(AriaRole.Button, new() { Name = "Navigation ein- oder ausblenden" });

        await toggle.ClickAsync();

        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Link, new() { Name = "Dokumente" })).Not.ToBeInViewportAsync();
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, "overview-navigation-closed-1366x768");
    }

    [Fact]
    public async Task AccessDenied_HasNoViolations()
    {
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();

        await staff.Page.GotoAsync("/verwaltung");
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Zugriff verweigert" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(staff.Page);

        // The router's not-found page is not checked here yet: Blazor.navigateTo to an unknown address sometimes fell back
        // to a full load, whose bare 404 has no title (a typed unknown address should get the German page: issue 13).
    }
}
