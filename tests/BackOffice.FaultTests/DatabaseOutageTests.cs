using System.Net;
using System.Diagnostics;
using BackOffice.FaultTests.Infrastructure;

namespace BackOffice.FaultTests;

/// <summary>PostgreSQL stopped and started while the box reports door events, old IDs, results and pickup requests.</summary>
public class DatabaseOutageTests(OutageCluster cluster, FaultBrowser browser) : IClassFixture<OutageCluster>
{
    [Fact]
    public async Task Loading_DoorClosedAndOldIdInsertedDuringAOneMinuteOutage_LoadingCompletesAndTheDepositCounts()
    {
        await using var system = await FaultSystem.StartAsync(cluster, browser, "outagedoor", new FaultSetup { AutoCloseAfter = null });
        var document = await system.RegisterAsync();
        var loading = await system.StartLoadingAsync(document);
        await system.WaitUntilAsync(async () => await system.LoadStatusAsync(loading.LoadId) == "DoorOpen", "the app shows the door open", TimeSpan.FromSeconds(30));

        await cluster.StopAsync();
        var outage = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await system.CloseDoorAsync(loading.Label);
        // The old ID dropped into the slot (the panel reports the typed number as the slot would), with a pickup attempt.
        await system.PanelPickupAsync(document, "000000", withOldId: true);
        // The registration software meanwhile: told to wait and send again, not a server error; nothing stored.
        var late = system.NewDocument();
        var (status, retryAfter, body) = await system.PostRegistrationAsync(late);
        Assert.True(status == HttpStatusCode.ServiceUnavailable, $"Registration during the outage answered {(int)status}: {body}");
        Assert.Equal(TimeSpan.FromSeconds(5), retryAfter);
        // A full minute, as a city sees it (a restart, a failover): longer than an unlock command lives (30 s).
        await Task.Delay(TimeSpan.FromMinutes(1) - outage.Elapsed);
        await cluster.StartAsync();

        await system.WaitUntilAsync(async () =>
                await system.DocumentStateAsync(document.Id) == "ReadyForPickup"
                && await system.CompartmentStateAsync(loading.CompartmentId) == "Occupied"
                && await system.CountAsync("""SELECT count(*) FROM outgoing_sms WHERE "DocumentId" = @id""", ("id", document.Id)) == 1
                && await system.CountAsync("SELECT count(*) FROM old_document_deposits") == 1,
            "the loading completed (document ready, compartment occupied, SMS queued) and the old ID counted", TimeSpan.FromSeconds(30));
        Assert.Equal("Completed", await system.LoadStatusAsync(loading.LoadId));
        Assert.Equal(loading.CompartmentId, await system.DocumentCompartmentAsync(document.Id));
        // Sent again as told: stored once.
        Assert.Equal(HttpStatusCode.Created, (await system.PostRegistrationAsync(late)).Status);
        Assert.Equal(HttpStatusCode.OK, (await system.PostRegistrationAsync(late)).Status);
        await system.AssertInvariantsAsync(oldIdsInserted: 1);
    }

    [Fact]
    public async Task Loading_LockOpens3sAndA10sOutageStartsRightAfterTheUnlock_LoadingCompletesNotAborted()
    {
        await using var system = await FaultSystem.StartAsync(cluster, browser, "outageopen", new FaultSetup
        {
            OpenDelay = TimeSpan.FromSeconds(3),
            AutoCloseAfter = TimeSpan.FromSeconds(4),
            CommandLifetime = TimeSpan.FromSeconds(15),
        });
        var document = await system.RegisterAsync();
        var loading = await system.StartLoadingAsync(document);
        await system.WaitUntilUnlockSentAsync(loading.CompartmentId);

        await cluster.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));
        await cluster.StartAsync();

        await system.WaitUntilAsync(async () => await system.LoadStatusAsync(loading.LoadId) is "Completed" or "Aborted",
            "the loading ended", TimeSpan.FromSeconds(30));
        var detail = await system.DiagnosticsAsync();
        Assert.True(await system.LoadStatusAsync(loading.LoadId) == "Completed",
            $"The door opened and closed, but the loading ended {await system.LoadStatusAsync(loading.LoadId)}.\n{detail}");
        Assert.Equal("ReadyForPickup", await system.DocumentStateAsync(document.Id));
        Assert.Equal("Occupied", await system.CompartmentStateAsync(loading.CompartmentId));
        await system.AssertInvariantsAsync();
    }

    [Fact]
    public async Task Pickup_DatabaseDownDuringTheRequest_PanelSaysItCannotCheckNowAndTheCitizenPicksUpAfterwards()
    {
        await using var system = await FaultSystem.StartAsync(cluster, browser, "outagepickup", new FaultSetup { AutoCloseAfter = TimeSpan.FromSeconds(3) });
        var document = await system.RegisterAsync();
        var loading = await system.StartLoadingAsync(document);
        await system.WaitUntilAsync(async () => await system.DocumentStateAsync(document.Id) == "ReadyForPickup", "the document is ready", TimeSpan.FromSeconds(45));
        var pin = await system.ReadPinAsync();

        await cluster.StopAsync();
        string duringOutage;
        try
        {
            duringOutage = await system.PanelPickupAsync(document, pin);
        }
        finally
        {
            await cluster.StartAsync();
        }

        Assert.DoesNotContain("Bitte prüfen Sie Ihre Angaben", duringOutage, StringComparison.Ordinal);
        Assert.Contains("gerade nicht", duringOutage, StringComparison.Ordinal);
        await system.WaitUntilAppReadyAsync();
        var afterwards = await system.PanelPickupAsync(document, pin);
        Assert.True(afterwards.Contains("Bitte entnehmen", StringComparison.Ordinal), $"After the outage the panel answered: {afterwards}\n{await system.DiagnosticsAsync()}");
        await system.WaitUntilAsync(async () =>
                await system.DocumentStateAsync(document.Id) == "PickedUp" && await system.CompartmentStateAsync(loading.CompartmentId) == "Free",
            "the document is picked up and the compartment free", TimeSpan.FromSeconds(30));
        await system.AssertInvariantsAsync();
    }
}
