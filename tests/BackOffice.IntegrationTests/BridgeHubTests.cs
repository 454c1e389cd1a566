using BackOffice.Application.Bridge;
using BackOffice.Bridge;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Web.Bridge;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>The real hub and the real bridge code over loopback WebSockets.</summary>
public class BridgeHubTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    private const string Staff = "staff:sachbearbeitung@demo.local";

    [Fact]
    public async Task Unlock_ToAConnectedBridge_OpensTheDoorAndRecordsResultAndDoorEvents()
    {
        var (_, driver) = await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var compartment = await app.CompartmentAsync("DLZ-1", "02-03");

        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason);

        Assert.True(issue.Accepted);
        await WaitUntilAsync(async () => (await app.CommandAsync(issue.CommandId!.Value)).Status == CommandStatus.Opened, "the command is recorded as opened");
        await WaitUntilAsync(async () => (await app.CompartmentAsync("DLZ-1", "02-03")).DoorState == DoorState.Closed, "the door is closed again");
        Assert.Equal(1, driver.OpenCount("02-03"));
        await using var db = await app.NewDbContextAsync();
        Assert.Equal([DoorState.Open, DoorState.Closed],
            await db.DoorEvents.Where(e => e.CompartmentId == compartment.Id).OrderBy(e => e.At).Select(e => e.State).ToListAsync());
        var trail = await db.AuditEntries.Where(a => a.Details!.Contains(issue.CommandId!.Value.ToString()) || a.Subject == $"command:{issue.CommandId}")
            .Select(a => a.Action).ToListAsync();
        Assert.Contains("bridge.command.issued", trail);
        Assert.Contains("bridge.command.result", trail);
    }

    [Fact]
    public async Task AnUnlockWhoseCommandCannotBeStored_LeavesNoAuditLineAndSendsNothing()
    {
        // The command and its audit line are saved in one round trip without BEGIN and COMMIT: still all or nothing.
        var (bridge, driver) = await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var received = new List<Guid>();
        bridge.CommandReceived += command => { lock (received) { received.Add(command.CommandId); } };
        var compartment = await app.CompartmentAsync("DLZ-1", "02-04");
        var first = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason);
        await WaitUntilAsync(async () => (await app.CommandAsync(first.CommandId!.Value)).Status == CommandStatus.Opened, "the first unlock is answered");

        // The same command id again: the command's row cannot be written (its key exists), after the audit line was.
        await Assert.ThrowsAsync<DbUpdateException>(() => app.Commands.IssueUnlockAsync(
            compartment.Id, CommandPurpose.Service, Staff, TestContext.Current.CancellationToken, "zweites Mal", first.CommandId));

        await using var db = await app.NewDbContextAsync();
        Assert.Empty(await db.AuditEntries.Where(a => a.Action == "bridge.command.issued" && a.Details!.Contains("zweites Mal")).ToListAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "bridge.command.issued" && a.Details!.Contains(first.CommandId!.Value.ToString())));
        Assert.Equal(1, driver.OpenCount("02-04"));
        lock (received)
        {
            Assert.Equal([first.CommandId!.Value], received);
        }
    }

    [Fact]
    public async Task JammedDoor_IsReportedAsFailedWithTheReason()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var (_, driver) = await app.StartBridgeAsync(key);
        driver.Jam("01-05");
        var compartment = await app.CompartmentAsync("HOL-1", "01-05");

        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason);

        await WaitUntilAsync(async () => (await app.CommandAsync(issue.CommandId!.Value)).Status == CommandStatus.Failed, "the command failed");
        Assert.Equal(SimulatedLockDriver.JammedDetail, (await app.CommandAsync(issue.CommandId!.Value)).ResultDetail);
        await WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            return (await db.Boxes.SingleAsync(b => b.Code == "HOL-1")).Faults.Count > 0;
        }, "the heartbeat reports the fault");
    }

    [Fact]
    public async Task ExpiredCommand_SentAnyway_IsRefusedByTheBridgeWithoutTouchingTheLock()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var (_, driver) = await app.StartBridgeAsync(key);
        var compartment = await app.CompartmentAsync("HOL-1", "02-01");
        var command = new BridgeCommand
        {
            Id = Guid.NewGuid(),
            BoxId = compartment.BoxId,
            CompartmentId = compartment.Id,
            CompartmentLabel = compartment.Label,
            Purpose = CommandPurpose.Service,
            CreatedAt = app.Clock.GetUtcNow().AddSeconds(-31),
            ExpiresAt = app.Clock.GetUtcNow().AddSeconds(-1),
            RequestedBy = Staff,
        };
        await using (var db = await app.NewDbContextAsync())
        {
            db.BridgeCommands.Add(command);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // Delivered although expired (the server never does this; a delayed network could).
        await app.Services.GetRequiredService<BackOffice.Application.Abstractions.IBridgeDispatcher>().TrySendUnlockAsync(
            command.BoxId, new UnlockCommand(command.Id, command.CompartmentLabel, "Service", command.ExpiresAt), TestContext.Current.CancellationToken);

        await WaitUntilAsync(async () => (await app.CommandAsync(command.Id)).ReportedByBox, "the bridge answered the expired command");
        Assert.Equal(CommandStatus.Expired, (await app.CommandAsync(command.Id)).Status);
        Assert.Equal(0, driver.OpenCount("02-01"));
    }

    [Fact]
    public async Task BridgeKilledWhileOpening_RestartsAndReportsTheUnknownOutcomeInsteadOfOpeningAgain()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var queue = $"killed-{Guid.NewGuid():N}";
        var (bridge, driver) = await app.StartBridgeAsync(key, new SimulatedLockOptions { OpenDelay = TimeSpan.FromSeconds(5) }, queue);
        var received = new TaskCompletionSource();
        bridge.CommandReceived += _ => received.TrySetResult();
        var compartment = await app.CompartmentAsync("HOL-1", "03-02");

        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken); // The lock is now moving.
        await bridge.DisposeAsync(); // Killed: no goodbye, no result.
        driver.Dispose();

        var (_, restartedDriver) = await app.StartBridgeAsync(key, queueName: queue);

        await WaitUntilAsync(async () => (await app.CommandAsync(issue.CommandId!.Value)).ReportedByBox, "the restarted bridge reported the command");
        var command = await app.CommandAsync(issue.CommandId!.Value);
        Assert.Equal(CommandStatus.Failed, command.Status);
        Assert.Contains("beendet", command.ResultDetail, StringComparison.Ordinal);
        Assert.Equal(0, restartedDriver.OpenCount("03-02"));
    }

    [Fact]
    public async Task RepeatedResultAndDoorEvent_ChangeNothing()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var raw = await app.ConnectRawAsync(key);
        await raw.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("test", []), TestContext.Current.CancellationToken);
        var compartment = await app.CompartmentAsync("HOL-1", "04-04");
        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, reason: ServiceReason);
        var result = new CommandResultReport(issue.CommandId!.Value, "Opened", null);
        var door = new DoorReport(Guid.NewGuid(), "04-04", "Open", DateTimeOffset.UtcNow);

        for (var i = 0; i < 3; i++)
        {
            await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, result, TestContext.Current.CancellationToken);
            await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, door, TestContext.Current.CancellationToken);
        }
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, result with { Outcome = "Failed", Detail = "später" }, TestContext.Current.CancellationToken);

        await using var db = await app.NewDbContextAsync();
        Assert.Equal(1, await db.DoorEvents.CountAsync(e => e.EventId == door.EventId));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "bridge.command.result" && a.Subject == $"command:{issue.CommandId}"));
        Assert.Equal(CommandStatus.Opened, (await app.CommandAsync(issue.CommandId!.Value)).Status);
    }

    [Fact]
    public async Task WrongOrMissingKey_IsRefused()
    {
        var wrong = "abx1_" + new string('x', 43);

        await Assert.ThrowsAsync<BoxKeyRejectedException>(() => app.ConnectRawAsync(wrong));
        await Assert.ThrowsAsync<BoxKeyRejectedException>(() => app.ConnectRawAsync("not-a-key"));
    }

    [Fact]
    public async Task RotatedKey_DisconnectsTheBoxAndIsRefusedAfterwards()
    {
        var oldKey = await app.IssueKeyAsync("HOL-1");
        var raw = await app.ConnectRawAsync(oldKey);
        var closed = new TaskCompletionSource();
        raw.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var newKey = await app.IssueKeyAsync("HOL-1");

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<BoxKeyRejectedException>(() => app.ConnectRawAsync(oldKey));
        var fresh = await app.ConnectRawAsync(newKey);
        Assert.Equal(HubConnectionState.Connected, fresh.State);
    }

    [Fact]
    public async Task SecondConnectionOfABox_ReplacesTheFirst()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var first = await app.ConnectRawAsync(key);
        var closed = new TaskCompletionSource();
        first.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var second = await app.ConnectRawAsync(key);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(HubConnectionState.Connected, second.State);
    }

    [Fact]
    public async Task MalformedPayloads_AreRefusedPerCall_WhileTheConnectionAndOtherBoxesKeepWorking()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var raw = await app.ConnectRawAsync(key);
        var (_, dlzDriver) = await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var ct = TestContext.Current.CancellationToken;

        // Wrong types, unknown enum values, missing fields, unknown compartments, oversize text.
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new { eventId = 5, compartment = 3 }, ct));
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor,
            new DoorReport(Guid.NewGuid(), "01-01", "Ajar", DateTimeOffset.UtcNow), ct));
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new { }, ct));
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor,
            new DoorReport(Guid.NewGuid(), "99-99", "Open", DateTimeOffset.UtcNow), ct));
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportHeartbeat,
            new HeartbeatReport(DateTimeOffset.UtcNow, 250, []), ct));
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.Hello,
            new HelloRequest(new string('v', 5000), []), ct));
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult,
            new CommandResultReport(Guid.NewGuid(), "Opened", null), ct));
        await Assert.ThrowsAnyAsync<HubException>(() => raw.InvokeAsync("DropAllTables", ct));

        // The same connection still works, and so does another box.
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportHeartbeat, new HeartbeatReport(DateTimeOffset.UtcNow, 40, []), ct);
        Assert.Equal(HubConnectionState.Connected, raw.State);
        var compartment = await app.CompartmentAsync("DLZ-1", "05-05");
        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Staff, ct, ServiceReason);
        await WaitUntilAsync(async () => (await app.CommandAsync(issue.CommandId!.Value)).Status == CommandStatus.Opened, "the other box opened");
        Assert.Equal(1, dlzDriver.OpenCount("05-05"));
        await using var db = await app.NewDbContextAsync();
        Assert.Equal(0, await db.DoorEvents.CountAsync(e => db.Compartments.Any(c => c.Id == e.CompartmentId && c.Label == "99-99")));
    }
}

/// <summary>Moves the server clock, so it has a server of its own.</summary>
public class BridgeOfflineTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    [Fact]
    public async Task BoxSilentLongerThanTheTimeout_IsOfflineAndUnlocksFailAtOnce()
    {
        var (bridge, driver) = await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1, heartbeatInterval: TimeSpan.FromHours(1));
        var compartment = await app.CompartmentAsync("DLZ-1", "01-02");
        var boxes = app.Services.GetRequiredService<BackOffice.Application.Boxes.BoxAdministration>();
        Assert.True((await boxes.ListAsync()).Single(b => b.Code == "DLZ-1").Online);

        app.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.False((await boxes.ListAsync()).Single(b => b.Code == "DLZ-1").Online);
        var refused = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, "staff:test", reason: ServiceReason);
        Assert.Equal(UnlockRefusal.BoxOffline, refused.Refusal);
        Assert.NotNull(refused.LastHeartbeatAt);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(0, driver.OpenCount("01-02"));

        // A heartbeat brings it back.
        await bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);
        Assert.True((await boxes.ListAsync()).Single(b => b.Code == "DLZ-1").Online);
        Assert.True((await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, "staff:test", reason: ServiceReason)).Accepted);
    }

    [Fact]
    public async Task CommandPendingWhileTheBridgeWasAway_IsNeverExecutedAfterItExpired()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var (bridge, firstDriver) = await app.StartBridgeAsync(key, queueName: "away");
        await bridge.StopAsync(TestContext.Current.CancellationToken);
        var compartment = await app.CompartmentAsync("HOL-1", "01-01");
        // The bridge's stop returns before the app has handled the disconnect; until then the command would still be sent.
        var directory = app.Services.GetRequiredService<IBridgeDirectory>();
        await WaitUntilAsync(
            async () => !await directory.IsHeldAsync(compartment.BoxId, TestContext.Current.CancellationToken), "the app has seen the bridge go");
        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, "staff:test", reason: ServiceReason);
        Assert.True(issue.Accepted);
        Assert.Equal(CommandStatus.Pending, (await app.CommandAsync(issue.CommandId!.Value)).Status);

        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var (_, secondDriver) = await app.StartBridgeAsync(key, queueName: "away-again");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await app.Commands.ExpireOverdueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, firstDriver.OpenCount("01-01") + secondDriver.OpenCount("01-01"));
        var command = await app.CommandAsync(issue.CommandId.Value);
        Assert.Equal(CommandStatus.Expired, command.Status);
        Assert.False(command.ReportedByBox);
    }
}
