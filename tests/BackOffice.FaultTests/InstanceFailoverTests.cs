using BackOffice.FaultTests.Infrastructure;
using Microsoft.Playwright;

namespace BackOffice.FaultTests;

/// <summary>
/// Two app instances behind nginx on one database, key ring and Redis (issue 17): a clerk and a wall screen on the
/// instance that does not hold the box's connection, and that instance's partner killed with SIGKILL while the door is
/// open. The smaller version of <c>infra/bench.sh failover</c>.
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

        // The instance holding the box dies while the door is open; the box closes it meanwhile.
        var hellos = system.HelloCount();
        holder.Kill();
        await system.WaitForBridgeHelloAsync(hellos, TimeSpan.FromSeconds(30));
        await system.WaitUntilAsync(async () => await system.DocumentStateAsync(document.Id) == "ReadyForPickup"
                && await system.CompartmentStateAsync(loading.CompartmentId) == "Occupied",
            "the surviving instance finished the loading from the box's reports", TimeSpan.FromSeconds(30));
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "Ready", new() { Timeout = 15_000 });
        Assert.Empty(await wall.Locator("#components-reconnect-modal[open]").AllAsync());

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
