using BackOffice.FaultTests.Infrastructure;

namespace BackOffice.FaultTests;

/// <summary>A vendor's bridge that reports each result the moment Unlock arrives, before, during or after the server marks it delivered.</summary>
public class PromptResultTests(FaultCluster cluster, FaultBrowser browser)
{
    private const int Openings = 20;

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
            // A fresh page each time: the page of a refused result would wait the command's lifetime.
            await page.GotoAsync("/service-oeffnung");
            await page.Locator("main[data-interactive=true]").WaitForAsync();
            await page.GetByTestId("service-label").FillAsync(labels[i]);
            await page.GetByTestId("service-reason").FillAsync($"Fehlersuche {i + 1}");
            await page.GetByTestId("service-submit").ClickAsync();
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
