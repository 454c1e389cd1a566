using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BackOffice.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Npgsql;

namespace BackOffice.BrowserTests;

/// <summary>
/// Verwaltung, the box page with its bridge key dialog, Altausweise, Service-Öffnung and Offene Vorgänge at the clerk's
/// 1366×768, as each role that may open them: axe-core's WCAG 2.1 A/AA rules, a screenshot each, and what the walk
/// through them found (cut text, the week out of order, e-mail addresses for people, a prefilled four-eyes count, no
/// way back to a running loading). Has an app of its own: it issues a key, records an emptying and adds a loading.
/// </summary>
public partial class AdminPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string ApiKey = "development-only-registration-api-key-0001";

    [Fact]
    public async Task Administration_AtTheClerksScreen_CutsNoText_AndHasNoViolations()
    {
        // A box heard from shows the time of its last heartbeat in the connection column: the walk found it cut ("03:5").
        await ExecuteAsync("""UPDATE boxes SET "LastHeartbeatAt" = now() - interval '3 minutes' WHERE "Code" = 'DLZ-1'""");
        await using var staff = await SignedInAsync("admin@demo.local", "/verwaltung");
        var page = staff.Page;
        await Assertions.Expect(page.GetByTestId("box-grid")).ToContainTextAsync("Willi-Becker-Allee");
        await Assertions.Expect(page.GetByTestId("staff-grid")).ToContainTextAsync("Jana Neumann");
        await Assertions.Expect(page.GetByTestId("box-grid").Locator("tr", new() { HasText = "DLZ-1" }))
            .ToContainTextAsync(new Regex(@"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}"));

        await AssertNothingCutAsync(page, "box-grid");
        await AssertNothingCutAsync(page, "staff-grid");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "administration-admin-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task BoxPage_ListsOpeningHoursMondayToFriday_AndDisablesThemWhileOpenAroundTheClock()
    {
        await using var staff = await SignedInAsync("admin@demo.local", "/verwaltung");
        var page = staff.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "HOL-1" }).ClickAsync();
        var periods = page.GetByTestId("opening-period");
        await Assertions.Expect(periods).ToHaveCountAsync(5);

        string[] week = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];
        var days = new List<string>();
        foreach (var period in await periods.AllAsync())
        {
            // The day as shown: the select's text (its hidden input holds the enum value).
            var shown = await period.EvaluateAsync<string>("e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')");
            days.Add(Assert.Single(week, day => shown.Contains(day, StringComparison.Ordinal)));
        }
        Assert.Equal(["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"], days);
        await Assertions.Expect(page.GetByTestId("hours-not-applicable")).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "box-hol1-admin-1366x768");

        // Switched to 24/7 (not saved): the hours do not apply, and the form says so instead of leaving them editable.
        await page.GetByLabel("Rund um die Uhr geöffnet (24/7)").CheckAsync();
        await Assertions.Expect(page.GetByTestId("hours-not-applicable")).ToBeVisibleAsync();
        foreach (var period in await periods.AllAsync())
        {
            await Assertions.Expect(period.GetByLabel("von")).ToBeDisabledAsync();
            await Assertions.Expect(period.GetByLabel("bis")).ToBeDisabledAsync();
            await Assertions.Expect(period.GetByRole(AriaRole.Button, new() { Name = "Öffnungszeit entfernen" })).ToBeDisabledAsync();
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Öffnungszeit hinzufügen" })).ToBeDisabledAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task BoxPage_WithAllCompartments_HasNoViolations_AndCutsNoText()
    {
        await using var staff = await SignedInAsync("admin@demo.local", "/verwaltung");
        var page = staff.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "DLZ-1" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("compartment-grid")).ToContainTextAsync("01-01");

        await page.GetByTestId("compartment-search").FillAsync("02-0");
        await Assertions.Expect(page.GetByTestId("compartment-grid").Locator("tbody tr").First).ToContainTextAsync("02-01");

        await AssertNothingCutAsync(page, "compartment-grid");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "box-dlz1-admin-1366x768");

        // The reason dialog as this page opens it.
        await page.GetByTestId("compartment-grid").Locator("tbody tr").First.GetByRole(AriaRole.Button, new() { Name = "Außer Betrieb nehmen" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("reason-input")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "box-take-out-dialog-1366x768");
        await page.GetByRole(AriaRole.Button, new() { Name = "Abbrechen" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("reason-input")).ToHaveCountAsync(0);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task NewBoxPage_HasNoViolations_EmptyAndAfterARefusedSave()
    {
        await using var staff = await SignedInAsync("admin@demo.local", "/verwaltung/boxen/neu");
        var page = staff.Page;
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Neue Ausgabebox" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "box-new-admin-1366x768");

        // Saved empty: each missing field says so next to it, and the page stays a new box.
        await page.GetByTestId("box-save").ClickAsync();
        await Assertions.Expect(page.Locator(".app-field-error").First).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/verwaltung/boxen/neu$"));
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "box-new-refused-admin-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task BridgeKeyDialog_CopiesTheKeyToTheClipboard_AndHasNoViolations()
    {
        await using var staff = await SignedInAsync("admin@demo.local", "/verwaltung");
        var page = staff.Page;
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GetByRole(AriaRole.Link, new() { Name = "HOL-1" }).ClickAsync();
        await page.GetByTestId("issue-key").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Bestätigen" }).ClickAsync();
        var key = page.GetByTestId("bridge-key");
        await Assertions.Expect(key).ToHaveValueAsync(new Regex("^abx1_[A-Za-z0-9_-]{43}$"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Schlüssel kopieren" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Schlüssel in die Zwischenablage kopiert.")).ToBeVisibleAsync();
        Assert.Equal(await key.InputValueAsync(), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "bridge-key-dialog-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk")]
    [InlineData("teamleitung@demo.local", "supervisor")]
    public async Task BinPage_HasNoViolations(string email, string role)
    {
        await using var staff = await SignedInAsync(email, "/altausweise");
        var page = staff.Page;
        await Assertions.Expect(page.GetByTestId("bin-DLZ-1")).ToBeVisibleAsync();
        await page.GetByTestId("bin-reconcile").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bin-reconciliation")).ToBeVisibleAsync();

        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"bin-{role}-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Fact]
    public async Task BinEmptying_AsksForAnIndependentCount_AndNamesBothPeople()
    {
        await using var staff = await SignedInAsync("sachbearbeitung@demo.local", "/altausweise");
        var page = staff.Page;
        await page.GetByTestId("bin-HOL-1").GetByTestId("bin-record").ClickAsync();

        // Not prefilled with the box's count: the two people count for themselves.
        await Assertions.Expect(page.GetByTestId("bin-counted")).ToHaveValueAsync("");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, "bin-emptying-form-1366x768");
        await page.GetByTestId("bin-witness").FillAsync("teamleitung@demo.local");
        await page.GetByTestId("bin-password").FillAsync(StaffPage.DemoPassword);
        await page.GetByTestId("bin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bin-error")).ToContainTextAsync("wie viele Ausweise Sie gezählt haben");

        await page.GetByTestId("bin-counted").FillAsync("0");
        await page.GetByTestId("bin-password").FillAsync(StaffPage.DemoPassword);
        await page.GetByTestId("bin-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("bin-form")).ToBeHiddenAsync();
        var last = page.GetByTestId("bin-HOL-1").GetByTestId("bin-last-emptying");
        await Assertions.Expect(last).ToContainTextAsync("0 Stück gezählt von Jana Neumann und Thomas Berger");
        await Assertions.Expect(last).Not.ToContainTextAsync("@");
        await Browser.ScreenshotAsync(page, "bin-after-emptying-1366x768");
        // The card wraps between the two people, never inside a name or a word.
        Assert.Equal("break-word", await last.EvaluateAsync<string>("e => getComputedStyle(e).overflowWrap"));
        Assert.Contains("Jana\u00A0Neumann und Thomas\u00A0Berger", await last.TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("teamleitung@demo.local", "supervisor")]
    [InlineData("admin@demo.local", "admin")]
    public async Task ServiceOpening_NamesWhoOpened_AndHasNoViolations(string email, string role)
    {
        var reason = $"Sichtprüfung {role}";
        await AddServiceOpeningAsync("DLZ-1", "04-04", "staff:teamleitung@demo.local", reason);
        await using var staff = await SignedInAsync(email, "/service-oeffnung");
        var page = staff.Page;

        var row = page.GetByTestId("service-recent").Locator("tr", new() { HasText = reason });
        await Assertions.Expect(row).ToContainTextAsync("Thomas Berger");
        await Assertions.Expect(row).Not.ToContainTextAsync("teamleitung@demo.local");
        await Accessibility.AssertNoViolationsAsync(page);

        // A refusal shown in place is checked too.
        await page.GetByTestId("service-label").FillAsync("04-04");
        await page.GetByTestId("service-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("service-message")).ToContainTextAsync("Grund");
        await AssertNothingCutAsync(page, "service-recent");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"service-open-{role}-1366x768");
        Assert.Empty(staff.ConsoleErrors);
    }

    [Theory]
    [InlineData("sachbearbeitung@demo.local", "clerk")]
    [InlineData("teamleitung@demo.local", "supervisor")]
    public async Task OpenOperations_LeadBackToARunningLoading_AndHaveNoViolations(string email, string role)
    {
        var number = role == "clerk" ? "L0LL00C1K" : "L0LL00T5R";
        await AddRunningLoadingAsync(number, "DLZ-1", role == "clerk" ? "09-01" : "09-02");
        await using var staff = await SignedInAsync(email, "/vorgaenge");
        var page = staff.Page;

        var running = page.GetByTestId("running-loading").Filter(new() { HasText = role == "clerk" ? "09-01" : "09-02" });
        await Assertions.Expect(running).ToContainTextAsync("von Jana Neumann");
        await Accessibility.AssertNoViolationsAsync(page);
        await Browser.ScreenshotAsync(page, $"open-operations-{role}-1366x768");

        // The loading page does not offer its scan field while it looks the loading up: the field took the cursor and,
        // removed while focused, sent its blur to a handler that was gone (an error in the console).
        await page.EvaluateAsync("""
            () => document.addEventListener('focusin', e => { if (e.target.dataset?.testid === 'load-scan') window.__scanFocused = true; }, true)
            """);
        await running.GetByTestId("running-loading-link").ClickAsync();
        // By the loading's id, not the document number; the loading page shows that loading again.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/dokumente/einlegen\\?vorgang=[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByTestId("load-status")).ToContainTextAsync(role == "clerk" ? "09-01" : "09-02");
        Assert.False(await page.EvaluateAsync<bool>("() => window.__scanFocused === true"), "The scan field took the cursor meanwhile.");
        Assert.Empty(staff.ConsoleErrors);
    }

    private async Task<StaffPage> SignedInAsync(string email, string path)
    {
        var staff = await fixture.NewPageAsync();
        await Accessibility.UseClerkScreenAsync(staff.Page);
        await staff.SignInAsync(email, path: path);
        await staff.WaitForCircuitAsync();
        return staff;
    }

    /// <summary>
    /// No header or cell of the grid clips its text (an element narrower than its content that hides the rest), unless
    /// it carries the full value as a title; and the grid fits the screen without scrolling sideways.
    /// </summary>
    private static async Task AssertNothingCutAsync(IPage page, string testId)
    {
        var cut = await page.GetByTestId(testId).EvaluateAsync<string[]>(
            """
            grid => {
              const cut = [];
              for (const cell of grid.querySelectorAll('th, td')) {
                for (const e of [cell, ...cell.querySelectorAll('*')]) {
                  const style = getComputedStyle(e);
                  const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
                  if (clips && e.scrollWidth > e.clientWidth + 1 && !e.closest('[title]')) {
                    cut.push(`${e.tagName}.${e.className}: ${e.textContent.trim()}`);
                  }
                }
              }
              const right = grid.getBoundingClientRect().right;
              if (right > window.innerWidth) cut.push(`the grid ends at ${right} px`);
              for (const scroller of grid.querySelectorAll('.mud-table-container')) {
                if (scroller.scrollWidth > scroller.clientWidth + 1) cut.push(`the grid scrolls sideways (${scroller.scrollWidth} px in ${scroller.clientWidth} px)`);
              }
              return cut;
            }
            """);
        Assert.True(cut.Length == 0, $"Cut in {testId}:\n{string.Join("\n", cut)}");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task AddServiceOpeningAsync(string box, string label, string requestedBy, string reason)
    {
        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO bridge_commands ("Id", "BoxId", "CompartmentId", "CompartmentLabel", "Purpose", "Status", "CreatedAt", "ExpiresAt",
                                         "RequestedBy", "Reason", "ReportedByBox")
            SELECT gen_random_uuid(), c."BoxId", c."Id", c."Label", 'Service', 'Expired', now(), now(), @by, @reason, false
            FROM compartments c JOIN boxes b ON b."Id" = c."BoxId"
            WHERE b."Code" = @box AND c."Label" = @label
            """, connection);
        command.Parameters.AddWithValue("by", requestedBy);
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("box", box);
        command.Parameters.AddWithValue("label", label);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>A registered document whose loading the clerk started and whose door is open (as the box left it).</summary>
    private async Task AddRunningLoadingAsync(string number, string box, string label)
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            type = "Reisepass", documentNumber = number, holderName = "Lena Lauf", dateOfBirth = "01.02.1990", mobileNumber = "0170 5551234",
            oldDocumentNumbers = Array.Empty<string>(), applicationReference = $"RUN-{number}", boxCode = box,
        }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var documentId = Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);

        await using var connection = new NpgsqlConnection(fixture.Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO compartment_loads ("Id", "BoxId", "CompartmentId", "Status", "StartedAt", "StartedBy", "DocumentIds")
            SELECT gen_random_uuid(), c."BoxId", c."Id", 'DoorOpen', now(), 'staff:sachbearbeitung@demo.local', ARRAY[@document]
            FROM compartments c JOIN boxes b ON b."Id" = c."BoxId"
            WHERE b."Code" = @box AND c."Label" = @label
            """, connection);
        command.Parameters.AddWithValue("document", documentId);
        command.Parameters.AddWithValue("box", box);
        command.Parameters.AddWithValue("label", label);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
