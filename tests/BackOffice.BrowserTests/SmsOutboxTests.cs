using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

[Collection(DemoAppCollection.Name)]
public class SmsOutboxTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Clerk_OpensTheSmsOutboxFromTheNavigation_SeesProblemsAndTheDevelopmentSection()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("sachbearbeitung@demo.local");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByRole(AriaRole.Link, new() { Name = "SMS-Ausgang" }).ClickAsync();

        await Assertions.Expect(staff.Page).ToHaveURLAsync(new Uri(fixture.Server.BaseAddress, "/sms").ToString());
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "SMS-Ausgang", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByTestId("sms-problems")).ToContainTextAsync("Alle SMS wurden zugestellt.");
        // The app runs in Development: the development sender's messages are shown, marked as such.
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Versendete SMS (Entwicklung)" })).ToBeVisibleAsync();
        await Assertions.Expect(staff.Page.GetByText("nur in der Entwicklungsumgebung")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(staff.Page, "sms-outbox-clerk");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Admin_HasNoSmsOutbox()
    {
        await using var staff = await fixture.NewPageAsync();
        await staff.SignInAsync("admin@demo.local");
        await staff.WaitForCircuitAsync();

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Link, new() { Name = "SMS-Ausgang" })).ToHaveCountAsync(0);
        var response = await staff.Page.GotoAsync("/sms");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Zugriff verweigert" })).ToBeVisibleAsync();
    }
}
