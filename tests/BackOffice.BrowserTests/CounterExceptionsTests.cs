using System.Net.Http.Json;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.BrowserTests;

/// <summary>
/// Issue 18's four-eyes loading and Inventur, each as one walk through the real UI with the real bridge process and its
/// lock simulator (doors close by themselves after 5 s). Both put DLZ-1 back as they found it.
/// </summary>
[Collection(LiveBoxCollection.Name)]
public class CounterExceptionsTests(LiveBoxFixture fixture)
{
    private const string ApiKey = "development-only-registration-api-key-0001";

    [Fact]
    public async Task FourEyesLoading_AdminSwitchesItOn_ClerkLoadsOnlyWithTheSecondPersonsPassword()
    {
        await using var admin = await fixture.NewPageAsync();
        var page = admin.Page;
        await admin.SignInAsync("admin@demo.local", path: "/verwaltung");
        await admin.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "DLZ-1", Exact = true }).First.ClickAsync();
        var fourEyes = page.GetByRole(AriaRole.Switch, new() { Name = "Vier-Augen-Prinzip beim Einlegen" });
        await Assertions.Expect(fourEyes).ToBeAttachedAsync();
        try
        {
            // Each heartbeat of the online box changes its row (xmin), and the form refuses a save over a change since it
            // was read ("inzwischen geändert", a known limit of editing an online box): read again and save again then.
            for (var attempt = 1; ; attempt++)
            {
                await fourEyes.CheckAsync();
                await page.GetByTestId("box-save").ClickAsync();
                var error = page.GetByTestId("box-error");
                await Assertions.Expect(page.GetByText("Ausgabebox DLZ-1 gespeichert.").Or(error).First).ToBeVisibleAsync();
                if (!await error.IsVisibleAsync() || attempt == 3)
                {
                    break;
                }
                await page.ReloadAsync();
                await admin.WaitForCircuitAsync();
            }
            await Eventually(async () => await ScalarAsync<bool>("""SELECT "FourEyesLoading" FROM boxes WHERE "Code" = 'DLZ-1'"""));
            // Read again (without the fading "saved" notice, which axe would judge mid-animation): the switch stays on.
            await page.ReloadAsync();
            await admin.WaitForCircuitAsync();
            await Assertions.Expect(fourEyes).ToBeCheckedAsync();
            await Accessibility.UseClerkScreenAsync(page);
            await Accessibility.AssertNoViolationsAsync(page);
            await Browser.ScreenshotAsync(page, "box-four-eyes-1366x768");

            await RegisterAsync("LK1000011");
            await using var clerk = await fixture.NewPageAsync();
            var load = clerk.Page;
            await clerk.SignInAsync("sachbearbeitung@demo.local", path: "/dokumente/einlegen?nr=LK1000011");
            await clerk.WaitForCircuitAsync();
            await Assertions.Expect(load.GetByTestId("load-witness")).ToContainTextAsync("Vier-Augen-Prinzip");

            // Alone, the compartment does not open.
            await load.GetByTestId("load-start").ClickAsync();
            await Assertions.Expect(load.GetByTestId("load-message")).ToContainTextAsync("Vier-Augen-Prinzip");
            // The clerk's own name is refused too.
            await load.GetByTestId("load-witness-user").FillAsync("sachbearbeitung@demo.local");
            await load.GetByTestId("load-witness-password").FillAsync(StaffPage.DemoPassword);
            await load.GetByTestId("load-start").ClickAsync();
            await Assertions.Expect(load.GetByTestId("load-message")).ToContainTextAsync("jemand anderes");

            await load.GetByTestId("load-witness-user").FillAsync("teamleitung@demo.local");
            await load.GetByTestId("load-witness-password").FillAsync(StaffPage.DemoPassword);
            await Accessibility.UseClerkScreenAsync(load);
            await Accessibility.AssertNoViolationsAsync(load);
            await Browser.ScreenshotAsync(load, "load-four-eyes-1366x768");
            await load.GetByTestId("load-start").ClickAsync();
            var status = load.GetByTestId("load-status");
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "Completed", new() { Timeout = 30_000 });

            Assert.Equal(2L, await ScalarAsync<long>(
                """SELECT count(*) FROM document_events e JOIN documents d ON d."Id" = e."DocumentId" WHERE d."DocumentNumber" = 'LK1000011' AND e."ConfirmedBy" = 'staff:teamleitung@demo.local'"""));
            Assert.Empty(clerk.ConsoleErrors);
            Assert.Empty(admin.ConsoleErrors);
        }
        finally
        {
            await ScalarAsync<int>("""UPDATE boxes SET "FourEyesLoading" = false WHERE "Code" = 'DLZ-1' RETURNING 1""");
        }
    }

    [Fact]
    public async Task Inventory_SupervisorWalksAModule_ClerkSettlesTheEmptyCompartment()
    {
        // Module 31 of DLZ-1, used by no other walk: one compartment holds a ready document, one is occupied without.
        await RegisterAsync("CN1000017");
        await ScalarAsync<int>("""
            UPDATE compartments SET "State" = 'Occupied'
            WHERE "BoxId" = (SELECT "Id" FROM boxes WHERE "Code" = 'DLZ-1') AND "Label" IN ('31-01', '31-02') RETURNING 1
            """);
        await ScalarAsync<int>("""
            UPDATE documents SET "State" = 'ReadyForPickup', "PinHash" = 'test',
                "CompartmentId" = (SELECT c."Id" FROM compartments c JOIN boxes b ON b."Id" = c."BoxId" WHERE b."Code" = 'DLZ-1' AND c."Label" = '31-01')
            WHERE "DocumentNumber" = 'CN1000017' RETURNING 1
            """);

        await using var supervisor = await fixture.NewPageAsync();
        var page = supervisor.Page;
        await supervisor.SignInAsync("teamleitung@demo.local", path: "/inventur");
        await supervisor.WaitForCircuitAsync();
        await page.GetByTestId("inventory-module").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Modul 31", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Modul" })).ToContainTextAsync("Modul 31");
        await page.GetByTestId("inventory-start").ClickAsync();
        var run = page.GetByTestId("inventory-run");
        await Assertions.Expect(run).ToHaveAttributeAsync("data-status", "Running");

        await page.GetByTestId("inventory-next").ClickAsync();
        var current = page.GetByTestId("inventory-current");
        await Assertions.Expect(current).ToContainTextAsync("CN1000017");
        await Assertions.Expect(current).ToHaveAttributeAsync("data-status", "Open", new() { Timeout = 20_000 });
        await Accessibility.UseClerkScreenAsync(page);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "inventory-open-1366x768");
        await page.GetByTestId("inventory-empty").ClickAsync();
        // The next door waits for this one until the box reports it closed (the simulator closes it 5 s after it opened;
        // the integration tests hold a door open to show the refusal).
        await Assertions.Expect(page.GetByTestId("inventory-next")).ToContainTextAsync("31-02", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("inventory-items")).ToContainTextAsync("leer");

        await page.GetByTestId("inventory-next").ClickAsync();
        await Assertions.Expect(current).ToHaveAttributeAsync("data-status", "Open", new() { Timeout = 20_000 });
        await page.GetByTestId("inventory-present").ClickAsync();
        await Assertions.Expect(run).ToHaveAttributeAsync("data-status", "Finished", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("inventory-items")).ToContainTextAsync("offen (Aufgabe für den Schalter)");
        await Assertions.Expect(page.GetByTestId("download-pdf")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("bestandsprotokoll.pdf"));
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "inventory-finished-1366x768");

        await using var clerk = await fixture.NewPageAsync();
        var tasks = clerk.Page;
        await clerk.SignInAsync("sachbearbeitung@demo.local", path: "/inventur/abweichungen");
        await clerk.WaitForCircuitAsync();
        var row = tasks.GetByTestId("discrepancy").Filter(new() { HasText = "CN1000017" });
        await Assertions.Expect(row).ToContainTextAsync("31-01");
        await Accessibility.UseClerkScreenAsync(tasks);
        await Accessibility.AssertNoViolationsAsync(tasks);
        await Browser.ScreenshotAsync(tasks, "inventory-discrepancies-1366x768");
        await row.GetByTestId("discrepancy-missing").ClickAsync();
        var confirm = tasks.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(confirm).ToContainTextAsync("CN1000017");
        await Browser.ScreenshotAsync(tasks, "inventory-settle-dialog-1366x768");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Als vermisst melden" }).ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        Assert.Equal("Missing", await ScalarAsync<string>("""SELECT "State" FROM documents WHERE "DocumentNumber" = 'CN1000017'"""));
        Assert.Equal("Free", await ScalarAsync<string>(
            """SELECT c."State" FROM compartments c JOIN boxes b ON b."Id" = c."BoxId" WHERE b."Code" = 'DLZ-1' AND c."Label" = '31-01'"""));
        Assert.Empty(supervisor.ConsoleErrors);
        Assert.Empty(clerk.ConsoleErrors);
    }

    private async Task RegisterAsync(string number)
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            type = "IdCard", documentNumber = number, holderName = "Erika Mustermann", dateOfBirth = "1983-08-12", mobileNumber = "0170 5550199",
            oldDocumentNumbers = Array.Empty<string>(), applicationReference = $"CE-{number}", boxCode = "DLZ-1",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 30 s.");
            await Task.Delay(200);
        }
    }
}
