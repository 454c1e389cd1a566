using BackOffice.FaultTests.Infrastructure;

namespace BackOffice.FaultTests;

/// <summary>A vendor's bridge that reports each result the moment Unlock arrives, before, during or after the server marks it delivered.</summary>
public class PromptResultTests(FaultCluster cluster, FaultBrowser browser)
{
    private const int Openings = 20;

    /// <summary>
    /// One service opening on a fresh page (the page of a refused result would wait the command's lifetime). On a
    /// loaded machine a click can reach a circuit that is not listening yet; the form is sent again only while the app
    /// has no command for that compartment, so a compartment is never opened twice by the test itself.
    /// </summary>
    private static async Task OpenAsync(FaultSystem system, Microsoft.Playwright.IPage page, string label, string reason)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync("/service-oeffnung");
            await page.Locator("main[data-interactive=true]").WaitForAsync();
            await page.GetByTestId("service-label").FillAsync(label);
            await page.GetByTestId("service-reason").FillAsync(reason);
            await page.GetByTestId("service-submit").ClickAsync();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                if (await CommandsForAsync(system, label) > 0)
                {
                    return;
                }
                await Task.Delay(200);
            }
            var message = await page.GetByTestId("service-message").CountAsync() > 0 ? await page.GetByTestId("service-message").InnerTextAsync() : "(no message)";
            Assert.True(attempt < 3, $"Service opening of {label} issued no command after {attempt} tries; the page said: {message}");
        }
    }

    private static Task<long> CommandsForAsync(FaultSystem system, string label) =>
        system.CountAsync("""SELECT count(*) FROM bridge_commands WHERE "Purpose" = 'Service' AND "CompartmentLabel" = @label""", ("label", label));

    [Fact]
    public async Task ServiceOpenings_ResultReportedAtOnceWithoutRetry_EveryCommandEndsOpened()
    {
        await using var system = await FaultSystem.StartAsync(cluster, browser, "promptresult", new FaultSetup { StartBridge = false });
        await using var box = await RawBoxClient.ConnectAsync(system.BaseAddress, FaultSystem.DemoBridgeKey);
        var labels = await system.RowsAsync("""
            SELECT c."Label" FROM compartments c JOIN boxes b ON b."Id" = c."BoxId"
            WHERE b."Code" = 'DLZ-1' AND c."State" = 'Free' ORDER BY c."Label" LIMIT @n
            """, ("n", Openings));
        var page = await system.SignedInPageAsync(FaultSystem.Supervisor);

        for (var i = 0; i < Openings; i++)
        {
            await OpenAsync(system, page, labels[i], $"Fehlersuche {i + 1}");
            var expected = i + 1;
            await system.WaitUntilAsync(() => Task.FromResult(box.Results.Count >= expected),
                $"the server answered result {expected}", TimeSpan.FromSeconds(20));
        }

        var refused = box.Results.Where(r => r.Error is not null).ToList();
        Assert.True(refused.Count == 0,
            $"{refused.Count} of {Openings} prompt results were refused: {string.Join("; ", refused.Select(r => $"{r.CommandId}: {r.Error}"))}\n{await system.DiagnosticsAsync()}");
        await system.WaitUntilAsync(async () => await system.CountAsync("""
                SELECT count(*) FROM bridge_commands WHERE "Purpose" = 'Service' AND "Status" = 'Opened'
                """) == Openings,
            $"all {Openings} service commands are Opened", TimeSpan.FromSeconds(10));
        await system.AssertInvariantsAsync();
    }
}
