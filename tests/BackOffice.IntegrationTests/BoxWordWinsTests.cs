using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>
/// What the box reports wins over the server's guess, and nothing it reports is lost to the server's own trouble:
/// a box speaking the protocol over the real hub (a raw SignalR connection, so each test sends exactly what a box
/// would, when it would), against the real app and its real database.
/// </summary>
public class BoxWordWinsTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    private const string Clerk = "staff:sachbearbeitung@demo.local";
    private static int _sequence;

    private DocumentLoading Loading => app.Services.GetRequiredService<DocumentLoading>();

    private OpenOperations Operations => app.Services.GetRequiredService<OpenOperations>();

    [Fact]
    public async Task ResultReportedTheMomentUnlockArrives_IsNeverRefused()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var errors = new List<string>();
        // A box that answers at once and never retries (any vendor's, written from the protocol doc).
        raw.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, async command =>
        {
            try
            {
                await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(command.CommandId, "Opened", null), ct);
            }
            catch (HubException ex)
            {
                lock (errors)
                {
                    errors.Add(ex.Message);
                }
            }
        });
        var compartment = await app.CompartmentAsync("HOL-1", "04-15");

        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Clerk, ct, ServiceReason);
            ids.Add(issue.CommandId!.Value);
        }

        foreach (var id in ids)
        {
            await WaitUntilAsync(async () => (await app.CommandAsync(id)).Status == CommandStatus.Opened, "every command is recorded as opened");
        }
        Assert.Empty(errors);
    }

    [Fact]
    public async Task DatabaseGone_DoorReportIsAnsweredUnavailable_AndTheRepeatCompletesTheLoading()
    {
        var (raw, key) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var (documentId, commandId, label) = await StartLoadingAsync(raw);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(commandId, "Opened", null), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), label, "Open", app.Clock.GetUtcNow()), ct);
        var closed = new DoorReport(Guid.NewGuid(), label, "Closed", app.Clock.GetUtcNow().AddSeconds(1));

        await SetDatabaseReachableAsync(false);
        HubException refusal;
        try
        {
            refusal = await Assert.ThrowsAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, closed, ct));
        }
        finally
        {
            await SetDatabaseReachableAsync(true);
        }

        Assert.True(BridgeProtocol.Errors.IsUnavailable(refusal.Message), refusal.Message);
        await RepeatUntilAcceptedAsync(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, closed, ct));
        var document = await DocumentAsync(documentId);
        Assert.Equal(DocumentState.ReadyForPickup, document.State);
        Assert.Equal(CompartmentState.Occupied, (await app.CompartmentAsync("HOL-1", label)).State);
        await using var db = await app.NewDbContextAsync();
        Assert.Equal(1, await db.OutgoingSms.CountAsync(m => m.DocumentId == documentId && m.Purpose == SmsPurpose.ReadyForPickup, ct));
        Assert.NotNull(key);
    }

    [Fact]
    public async Task DoorEventStoredButNotApplied_IsAppliedWhenTheBoxRepeatsIt_EvenMuchLater()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var (documentId, commandId, label) = await StartLoadingAsync(raw);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(commandId, "Opened", null), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), label, "Open", app.Clock.GetUtcNow()), ct);
        var closed = new DoorReport(Guid.NewGuid(), label, "Closed", app.Clock.GetUtcNow().AddSeconds(1));
        // As if the database went away right after the event was stored: stored, consequences not applied.
        var compartment = await app.CompartmentAsync("HOL-1", label);
        await using (var db = await app.NewDbContextAsync())
        {
            db.DoorEvents.Add(new DoorEvent
            {
                BoxId = compartment.BoxId, EventId = closed.EventId, CompartmentId = compartment.Id, State = DoorState.Closed,
                At = closed.At, ReceivedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
        }
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, closed, ct);

        Assert.Equal(DocumentState.ReadyForPickup, (await DocumentAsync(documentId)).State);
        await using var check = await app.NewDbContextAsync();
        Assert.NotNull((await check.DoorEvents.SingleAsync(e => e.EventId == closed.EventId, ct)).ProcessedAt);
    }

    [Fact]
    public async Task OpenedAfterTheServerGaveTheLoadingUp_ResumesIt_AndTheDocumentIsReadyInThatCompartment()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var (documentId, commandId, label) = await StartLoadingAsync(raw);
        // The app was down while the lock opened: no answer within the command's lifetime, the loading is given up.
        app.Clock.Advance(TimeSpan.FromSeconds(40));
        await app.Commands.ExpireOverdueAsync(ct);
        Assert.Equal(DocumentState.Arrived, (await DocumentAsync(documentId)).State);

        // Then the box's journal arrives: the door did open, the clerk put the document in and closed it.
        var at = app.Clock.GetUtcNow().AddSeconds(-35);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), label, "Open", at), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), label, "Closed", at.AddSeconds(8)), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(commandId, "Opened", null), ct);

        var document = await DocumentAsync(documentId);
        var compartment = await app.CompartmentAsync("HOL-1", label);
        Assert.Equal(DocumentState.ReadyForPickup, document.State);
        Assert.Equal(compartment.Id, document.CompartmentId);
        Assert.Equal(CompartmentState.Occupied, compartment.State);
        Assert.Null(compartment.CheckRequiredSince);
        // The next loading never proposes it.
        var next = await RegisterAsync();
        Assert.NotEqual(compartment.Id, (await Loading.ProposeAsync([next]))!.CompartmentId);
    }

    [Fact]
    public async Task OpenedAfterTheClerkCancelled_CannotBeResumed_TheCompartmentWaitsForACheck()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var (documentId, commandId, label) = await StartLoadingAsync(raw);
        var loadId = (await DocumentAsync(documentId)).LoadId!.Value;
        Assert.True(await Loading.CancelAsync(loadId, Clerk, ct));

        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(commandId, "Opened", null), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), label, "Open", app.Clock.GetUtcNow()), ct);

        var compartment = await app.CompartmentAsync("HOL-1", label);
        Assert.NotNull(compartment.CheckRequiredSince);
        Assert.Equal(DocumentState.Arrived, (await DocumentAsync(documentId)).State);
        var check = Assert.Single(await Operations.ListAsync(ct), o => o.Kind == OpenOperationKind.Check && o.CompartmentId == compartment.Id);
        Assert.Contains(check.LastReports, r => r.Door == DoorState.Open);
        for (var i = 0; i < 3; i++)
        {
            var other = await RegisterAsync();
            Assert.NotEqual(compartment.Id, (await Loading.ProposeAsync([other]))!.CompartmentId);
        }
        var refused = await Loading.StartAsync([documentId], compartment.Id, Clerk, ct);
        Assert.False(refused.Started);

        Assert.True(await Operations.ResolveAsync(OpenOperationKind.Check, compartment.Id, completed: true, Clerk, "leer", ct));
        Assert.Null((await app.CompartmentAsync("HOL-1", label)).CheckRequiredSince);
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "compartment.checked" && a.Actor == Clerk && a.Details!.Contains("leer"), ct));
    }

    [Fact]
    public async Task DoorOpenedWithoutAnyOperation_MarksTheCompartmentForACheck()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;

        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), "04-16", "Open", app.Clock.GetUtcNow()), ct);

        var compartment = await app.CompartmentAsync("HOL-1", "04-16");
        Assert.Equal(CompartmentWatch.UnexplainedOpening, compartment.CheckReason);
    }

    [Fact]
    public async Task DoorOpenedForAServiceOpening_IsExplainedByTheCompartmentsActivity_AndNeedsNoCheck()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var compartment = await app.CompartmentAsync("HOL-1", "04-14");
        var commands = app.Services.GetRequiredService<BridgeCommandService>();
        Assert.True((await commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, Clerk, ct, "Reinigung")).Accepted);

        // What each observer is told along with the door: only the service opening is under way.
        await using (var db = await app.NewDbContextAsync())
        {
            var now = app.Clock.GetUtcNow();
            var timing = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BridgeTimingOptions>>().Value;
            var activity = await CompartmentActivity.ReadAsync(db, compartment.Id, CompartmentActivity.ServiceWindowStart(now, timing), ct);
            Assert.Equal(new CompartmentActivity(Loading: false, Inventory: false, PickupOpening: false, Retrieving: false, RecentServiceOpening: true), activity);
            Assert.True(activity.ExplainsOpenDoor);
            // Long after the opening it explains nothing any more.
            var later = await CompartmentActivity.ReadAsync(db, compartment.Id, CompartmentActivity.ServiceWindowStart(now.AddHours(1), timing), ct);
            Assert.False(later.ExplainsOpenDoor);
        }

        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), "04-14", "Open", app.Clock.GetUtcNow()), ct);
        Assert.Null((await app.CompartmentAsync("HOL-1", "04-14")).CheckReason);
    }

    [Fact]
    public async Task PickupOpenedAfterTheServerGaveItUp_HandsTheDocumentOver()
    {
        var (bridge, _) = await app.StartOpenBoxAsync();
        var ready = await ReadyDocuments.CreateAsync(app, "T22000001");
        await bridge.DisposeAsync();
        // The real bridge stamped the loading's door events with the real time; the box's reports below are stamped with
        // the server's clock, which stood still since the app started: bring it up to now, so they come after the loading's.
        if (app.Clock.GetUtcNow() < DateTimeOffset.UtcNow)
        {
            app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        }
        var (raw, _) = await ConnectBoxAsync(DLZ1);
        var ct = TestContext.Current.CancellationToken;
        var unlock = new TaskCompletionSource<UnlockCommand>();
        raw.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, command => unlock.TrySetResult(command));

        var answer = await raw.InvokeAsync<PickupResponse>(BridgeProtocol.ServerMethods.RequestPickup,
            new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, "T22000001", null), ct);
        Assert.True(answer.Granted);
        var command = await unlock.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        app.Clock.Advance(TimeSpan.FromSeconds(40));
        await app.Commands.ExpireOverdueAsync(ct);
        Assert.Equal(DocumentState.ReadyForPickup, (await ReadyDocuments.GetAsync(app, ready.Id)).State);

        var at = app.Clock.GetUtcNow().AddSeconds(-35);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(command.CommandId, "Opened", null), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), ready.Label, "Open", at), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), ready.Label, "Closed", at.AddSeconds(5)), ct);

        Assert.Equal(DocumentState.PickedUp, (await ReadyDocuments.GetAsync(app, ready.Id)).State);
        var compartment = await app.CompartmentAsync("DLZ-1", ready.Label);
        Assert.Equal(CompartmentState.Free, compartment.State);
        Assert.Null(compartment.CheckRequiredSince);
    }

    [Fact]
    public async Task LoadingWhoseDoorNeverClosed_IsListedAfterAFewMinutes_AndSettledByHand()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var (documentId, commandId, label) = await StartLoadingAsync(raw);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportCommandResult, new CommandResultReport(commandId, "Opened", null), ct);
        await raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor, new DoorReport(Guid.NewGuid(), label, "Open", app.Clock.GetUtcNow()), ct);
        var loadId = (await DocumentAsync(documentId)).LoadId!.Value;
        Assert.DoesNotContain(await Operations.ListAsync(ct), o => o.Id == loadId);

        app.Clock.Advance(OpenOperations.StuckAfter + TimeSpan.FromSeconds(1));

        var stuck = Assert.Single(await Operations.ListAsync(ct), o => o.Id == loadId);
        Assert.Equal(OpenOperationKind.Loading, stuck.Kind);
        Assert.True(await Operations.ResolveAsync(OpenOperationKind.Loading, loadId, completed: true, Clerk, cancellationToken: ct));
        Assert.Equal(DocumentState.ReadyForPickup, (await DocumentAsync(documentId)).State);
        Assert.False(await Operations.ResolveAsync(OpenOperationKind.Loading, loadId, completed: false, Clerk, cancellationToken: ct));
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "load.resolved" && a.Actor == Clerk, ct));
    }

    [Fact]
    public async Task LoadingWhoseCommandWasNeverStored_IsAbortedByTheSweep_AndTheCompartmentFreed()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;
        var (documentId, commandId, label) = await StartLoadingAsync(raw);
        // As if the database failed between the reservation and the command: the loading waits for a command that
        // does not exist.
        await using (var db = await app.NewDbContextAsync())
        {
            await db.BridgeCommands.Where(c => c.Id == commandId).ExecuteDeleteAsync(ct);
        }
        Assert.Equal(0, await Loading.AbortWithoutCommandAsync(TimeSpan.FromSeconds(30), ct)); // not before a command would have expired

        app.Clock.Advance(TimeSpan.FromSeconds(31));

        // The app's own sweep runs on a real-time timer over the same clock and may come first: either way the loading is
        // aborted once, the document is back at the counter and the compartment free.
        Assert.InRange(await Loading.AbortWithoutCommandAsync(TimeSpan.FromSeconds(30), ct), 0, 1);
        Assert.Equal(DocumentState.Arrived, (await DocumentAsync(documentId)).State);
        Assert.Equal(CompartmentState.Free, (await app.CompartmentAsync("HOL-1", label)).State);
    }

    [Fact]
    public async Task RefusedMessage_IsShownToStaff()
    {
        var (raw, _) = await ConnectBoxAsync();
        var ct = TestContext.Current.CancellationToken;

        var error = await Assert.ThrowsAsync<HubException>(() => raw.InvokeAsync(BridgeProtocol.ServerMethods.ReportDoor,
            new DoorReport(Guid.NewGuid(), "99-99", "Open", app.Clock.GetUtcNow()), ct));

        Assert.True(BridgeProtocol.Errors.IsRefusal(error.Message), error.Message);
        Assert.Contains(await Operations.RefusalsAsync(cancellationToken: ct), r => r.BoxCode == "HOL-1" && r.Details.Contains("99-99", StringComparison.Ordinal));
    }

    private const string DLZ1 = BackOffice.Infrastructure.Seeding.DemoBoxes.DevelopmentBridgeKeyDlz1;

    /// <summary>A box that says Hello and then does only what the test tells it (HOL-1 with a fresh key unless given one).</summary>
    private async Task<(HubConnection Raw, string Key)> ConnectBoxAsync(string? key = null)
    {
        key ??= await app.IssueKeyAsync("HOL-1");
        var raw = await app.ConnectRawAsync(key);
        await raw.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("test", []), TestContext.Current.CancellationToken);
        return (raw, key);
    }

    private async Task<(Guid DocumentId, Guid CommandId, string Label)> StartLoadingAsync(HubConnection raw)
    {
        var unlock = new TaskCompletionSource<UnlockCommand>();
        using var subscription = raw.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, command => unlock.TrySetResult(command));
        var documentId = await RegisterAsync();
        var proposal = await Loading.ProposeAsync([documentId]);
        var start = await Loading.StartAsync([documentId], proposal!.CompartmentId, Clerk);
        Assert.True(start.Started, start.Refusal?.ToString());
        var command = await unlock.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        return (documentId, command.CommandId, proposal.Label);
    }

    private async Task<Guid> RegisterAsync()
    {
        var n = Interlocked.Increment(ref _sequence);
        var registered = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Reisepass", DocumentNumber = $"W{n:00000000}", HolderName = $"Max Box {n}", DateOfBirth = "01.02.1990",
            MobileNumber = $"+49172{5000000 + n}", ApplicationReference = $"WIN-{n}-{Guid.NewGuid():N}"[..30], BoxCode = "HOL-1",
        }, Clerk);
        Assert.True(registered.DocumentId is not null, "registered");
        return registered.DocumentId.Value;
    }

    private async Task<Document> DocumentAsync(Guid id)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.Documents.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    /// <summary>Takes the test's database away for real (no connection allowed, open ones ended), or gives it back.</summary>
    private async Task SetDatabaseReachableAsync(bool reachable)
    {
        var builder = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {(reachable ? "true" : "false")};"
            + (reachable ? "" : $" SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid();");
        await command.ExecuteNonQueryAsync();
        if (reachable)
        {
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>What a bridge does with an "Unavailable:" answer: send the same message again until it is accepted.</summary>
    private static async Task RepeatUntilAcceptedAsync(Func<Task> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await send();
                return;
            }
            catch (HubException ex) when (attempt < 20 && !BridgeProtocol.Errors.IsRefusal(ex.Message))
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
        }
    }
}
