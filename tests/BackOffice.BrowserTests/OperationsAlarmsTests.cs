using BackOffice.BrowserTests.Infrastructure;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Npgsql;

namespace BackOffice.BrowserTests;

/// <summary>The alarm badge and list, and the undelivered webhooks page, walked through as a supervisor.</summary>
[Collection(DemoAppCollection.Name)]
public class OperationsAlarmsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Supervisor_SeesTheAlarmInTheAppBar_AcknowledgesAndResolvesIt_AndFindsItAmongTheResolved()
    {
        // A burst of refused pickups at HOL-1 (nothing else in the shared app reads them): the app's own evaluation
        // raises the alarm within its interval.
        await RefusePickupsAsync("HOL-1", 6);
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync("teamleitung@demo.local");
        await staff.WaitForCircuitAsync();

        var bell = staff.Page.GetByTestId("alarm-badge").GetByRole(AriaRole.Link);
        await Assertions.Expect(bell).ToHaveAttributeAsync("data-count", new System.Text.RegularExpressions.Regex("^[1-9]"),
            new() { Timeout = 40_000 });
        await bell.ClickAsync();

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Alarme", Exact = true })).ToBeVisibleAsync();
        var row = staff.Page.GetByTestId("alarm-list").Locator("tr", new() { HasText = "Viele abgelehnte Abholungen" });
        await Assertions.Expect(row).ToContainTextAsync("HOL-1");
        await Assertions.Expect(row).ToContainTextAsync("6 abgelehnte Abholversuche");
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, "alarms-1366x768");

        await row.GetByTestId("alarm-acknowledge").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("bestätigt");
        await Assertions.Expect(row).ToContainTextAsync("teamleitung@demo.local");

        await row.GetByTestId("alarm-resolve").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await staff.Page.GetByLabel("Erledigte anzeigen").CheckAsync();
        var resolved = staff.Page.GetByTestId("alarm-list").Locator("tr", new() { HasText = "Viele abgelehnte Abholungen" }).First;
        await Assertions.Expect(resolved).ToContainTextAsync("erledigt");
        await Assertions.Expect(resolved).ToContainTextAsync("teamleitung@demo.local");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task Supervisor_SeesAnUndeliveredWebhook_AndSendsItAgain()
    {
        var reference = $"BT-{Guid.NewGuid():N}"[..16];
        await QueueUndeliveredWebhookAsync(reference);
        await using var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync("teamleitung@demo.local");
        await staff.WaitForCircuitAsync();

        await staff.Page.GetByRole(AriaRole.Link, new() { Name = "Meldungen (Webhooks)" }).ClickAsync();

        await Assertions.Expect(staff.Page.GetByRole(AriaRole.Heading, new() { Name = "Meldungen an die Antragssoftware", Exact = true })).ToBeVisibleAsync();
        // The demo app has no receiver configured: the page says so.
        await Assertions.Expect(staff.Page.GetByTestId("webhook-off")).ToBeVisibleAsync();
        var row = staff.Page.GetByTestId("webhook-list").Locator("tr", new() { HasText = reference });
        await Assertions.Expect(row).ToContainTextAsync("zurück am Schalter");
        await Assertions.Expect(row).ToContainTextAsync("HTTP 503");
        await Accessibility.AssertNoViolationsAsync(staff.Page);
        await Browser.ScreenshotAsync(staff.Page, "webhooks-1366x768");

        await row.GetByTestId("webhook-retry").ClickAsync();

        await Assertions.Expect(staff.Page.GetByText($"Meldung zu {reference} wird jetzt erneut gesendet.")).ToBeVisibleAsync();
        Assert.Empty(staff.ConsoleErrors);
    }

    private async Task RefusePickupsAsync(string box, int count)
    {
        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        for (var i = 0; i < count; i++)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO pickup_requests ("BoxId", "RequestId", "At", "Granted", "Compartments", "Message", "DocumentIds")
                SELECT "Id", gen_random_uuid(), now(), false, '{}', 'abgelehnt (Browsertest)', '{}' FROM boxes WHERE "Code" = @box
                """, connection);
            command.Parameters.AddWithValue("box", box);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    /// <summary>A document registered by the registration software, and its "returned to the counter" event still undelivered.</summary>
    private async Task QueueUndeliveredWebhookAsync(string reference)
    {
        using (var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress })
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", "development-only-registration-api-key-0001");
            var response = await client.PostAsJsonAsync("/api/v1/documents", new
            {
                type = "Passport", documentNumber = $"CF{Random.Shared.Next(1_000_000, 9_999_999)}", holderName = "Wiebke Webhook",
                dateOfBirth = "1990-02-03", mobileNumber = $"0170 555{Random.Shared.Next(1000, 9999)}", oldDocumentNumbers = Array.Empty<string>(),
                applicationReference = reference, boxCode = "HOL-1",
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO webhook_deliveries ("Id", "DocumentId", "ApplicationReference", "Event", "OccurredAt", "Status", "Attempts", "NextAttemptAt", "LastError")
            SELECT gen_random_uuid(), "Id", @reference, 'ReturnedToCounter', now() - interval '1 hour', 'Pending', 4, now() + interval '10 minutes',
                   'HTTP 503 Service Unavailable'
            FROM documents WHERE "ApplicationReference" = @reference
            """, connection);
        command.Parameters.AddWithValue("reference", reference);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
