using BackOffice.FaultTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.FaultTests;

/// <summary>
/// Two app instances behind nginx on one database, key ring and Redis (issue 17): a clerk and a wall screen on the
/// instance that does not hold the box's connection, a clerk typing through nginx on the one that does, and that one
/// killed with SIGKILL while the door is open. The smaller version of <c>infra/bench.sh failover</c>.
/// </summary>
public class InstanceFailoverTests(FaultCluster cluster, FaultBrowser browser)
{
    [Fact]
    public async Task UnlockOnOneInstance_ReachesTheBridgeOnTheOther_ItsDoorEventsReachTheDashboard_AndItsDeathMidLoadingLosesNothing()
    {
        await using var system = await FaultSystem.StartAsync(cluster, browser, "failover", new FaultSetup
        {
            TwoInstances = true,
            OpenDelay = TimeSpan.FromSeconds(1),
            AutoCloseAfter = TimeSpan.FromSeconds(4),
        });
        // nginx keeps each client address on one instance; the staff here work on the other one, directly.
        const string connected = "Bridge of box DLZ-1 connected";
        var bridgeOnFirst = system.App.Output.Contains(connected, StringComparison.Ordinal);
        Assert.True(bridgeOnFirst != system.SecondApp!.Output.Contains(connected, StringComparison.Ordinal),
            $"The bridge should be connected to exactly one instance.\n{system.Diagnostics()}");
        var holder = bridgeOnFirst ? system.App : system.SecondApp!;
        var staffAt = bridgeOnFirst ? system.SecondAddress! : system.BaseAddress;

        var wall = await system.SignedInPageAsync(FaultSystem.Supervisor, staffAt);
        await wall.GotoAsync("/faecher/DLZ-1");
        await wall.Locator("main[data-interactive=true] [data-testid=compartment-grid] [role=gridcell]").First.WaitForAsync();
        var document = await system.RegisterAsync();
        var clerk = await system.SignedInPageAsync(FaultSystem.Clerk, staffAt);

        // The unlock is issued where the clerk is and reaches the bridge connected to the other instance.
        var loading = await system.StartLoadingAsync(document, clerk);
        await system.WaitUntilAsync(() => Task.FromResult(system.BridgeOpenings().Any(o => o.Label == loading.Label)),
            "the bridge on the other instance opened the door", TimeSpan.FromSeconds(20));
        // The box reported the open door to the instance holding it; the wall screen on this one shows it live.
        var cell = wall.Locator($"[data-label='{loading.Label}']");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "DoorOpen", new() { Timeout = 15_000 });

        // A second clerk works through nginx, which keeps 127.0.0.1 on the instance holding the box: typing a document
        // in, not yet saved.
        var typist = await system.SignedInPageAsync(FaultSystem.Clerk, system.Proxy!.Address);
        await typist.GotoAsync("/dokumente/neu");
        await typist.Locator("main[data-interactive=true]").WaitForAsync();
        await typist.GetByTestId("doc-number").FillAsync("L01X00T47");
        await typist.GetByTestId("doc-name").FillAsync("Erika Mustermann");

        // The instance holding the box dies while the door is open; the box closes it meanwhile.
        var hellos = system.HelloCount();
        holder.Kill();
        await system.WaitForBridgeHelloAsync(hellos, TimeSpan.FromSeconds(30));
        await system.WaitUntilAsync(async () => await system.DocumentStateAsync(document.Id) == "ReadyForPickup"
                && await system.CompartmentStateAsync(loading.CompartmentId) == "Occupied",
            "the surviving instance finished the loading from the box's reports", TimeSpan.FromSeconds(30));
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Ready", new() { Timeout = 15_000 });
        Assert.Empty(await wall.Locator("#components-reconnect-modal[open]").AllAsync());

        // The typist's page lost its circuit with the instance: it reloads onto the other one, still signed in (the
        // shared key ring reads the cookie), and says which fields were not saved (their names, not what was typed).
        var unsaved = typist.Locator("#app-reconnect-unsaved-fields");
        await Assertions.Expect(unsaved).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(unsaved.Locator("li")).ToHaveTextAsync(["Dokumentnummer", "Name"]);
        await typist.Locator("#app-reconnect-unsaved-ok").ClickAsync();
        await Assertions.Expect(typist).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dokumente/neu$"));
        await typist.Locator("main[data-interactive=true]").WaitForAsync();
        await Assertions.Expect(typist.GetByTestId("doc-number")).ToBeEmptyAsync();
        Assert.Empty(await typist.Locator("#components-reconnect-modal[open]").AllAsync());

        // Back again (systemd restarts it): both serve, nothing was opened twice or lost.
        if (bridgeOnFirst)
        {
            await system.StartAppAsync();
        }
        else
        {
            await system.StartSecondAppAsync();
        }
        await system.AssertInvariantsAsync();
    }
}
