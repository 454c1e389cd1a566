using System.Text.RegularExpressions;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Bridge;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>Loading documents into compartments with the real hub, the real bridge code and the lock simulator.</summary>
public partial class DocumentLoadingTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    private const string Clerk = "staff:sachbearbeitung@demo.local";
    private static int _sequence;

    private DocumentLoading Loading => app.Services.GetRequiredService<DocumentLoading>();

    [Fact]
    public async Task Load_DoorOpensAndCloses_DocumentReadyWithAPinThatOnlyTheSmsCarries()
    {
        await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var documentId = await RegisterAsync("DLZ-1");
        var proposal = await Loading.ProposeAsync([documentId]);
        Assert.NotNull(proposal);
        Assert.Equal(CompartmentSize.S, proposal.Size);

        var start = await Loading.StartAsync([documentId], proposal.CompartmentId, Clerk);

        Assert.True(start.Started, start.Refusal?.ToString());
        await WaitUntilAsync(async () => (await DocumentAsync(documentId)).State == DocumentState.ReadyForPickup, "the document is ready");
        var document = await DocumentAsync(documentId);
        Assert.Equal(proposal.CompartmentId, document.CompartmentId);
        Assert.NotNull(document.PickupDeadline);
        Assert.StartsWith("pbkdf2", document.PinHash, StringComparison.Ordinal);
        Assert.Equal(LoadStatus.Completed, (await Loading.GetAsync(start.LoadId!.Value))!.Status);
        Assert.Equal(CompartmentState.Occupied, (await CompartmentAsync(proposal.CompartmentId)).State);

        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        // The app's own dispatcher may be sending it at this moment; either way it arrives once.
        await WaitUntilAsync(() => Task.FromResult(sender.Messages.Any(m => m.Recipient == document.MobileNumber)), "the SMS is sent");
        var sms = Assert.Single(sender.Messages, m => m.Recipient == document.MobileNumber);
        var pin = Pin().Match(sms.Text).Groups[1].Value;
        Assert.True(app.Services.GetRequiredService<PickupPins>().Verify(pin, document.PinHash), "The PIN in the SMS verifies against the stored hash.");
        Assert.Contains("Willi-Becker-Allee 7", sms.Text, StringComparison.Ordinal);

        // The PIN is nowhere else: not in the timeline, not in the audit trail.
        await using var db = await app.NewDbContextAsync();
        Assert.DoesNotContain(await db.DocumentEvents.Where(e => e.DocumentId == documentId).Select(e => e.Note).ToListAsync(), n => n.Contains(pin, StringComparison.Ordinal));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Details != null && a.Details.Contains(pin)));
        await WaitUntilAsync(async () => (await db.OutgoingSms.AsNoTracking().SingleAsync(m => m.DocumentId == documentId)).ProtectedBody is null,
            "the sent text is erased from the outbox");
    }

    [Fact]
    public async Task Load_HouseholdOfThree_GoesIntoOneMediumCompartment()
    {
        await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        // A household shares the mobile number it registered with (issue 21: only one household per compartment).
        List<Guid> household = [await RegisterAsync("DLZ-1", mobileNumber: "0170 7000001"), await RegisterAsync("DLZ-1", mobileNumber: "0170 7000001"),
            await RegisterAsync("DLZ-1", mobileNumber: "+49 170 7000001")];

        var proposal = await Loading.ProposeAsync(household);
        var start = await Loading.StartAsync(household, proposal!.CompartmentId, Clerk);

        Assert.Equal(CompartmentSize.M, proposal.Size);
        Assert.True(start.Started, start.Refusal?.ToString());
        foreach (var id in household)
        {
            await WaitUntilAsync(async () => (await DocumentAsync(id)).State == DocumentState.ReadyForPickup, "each document is ready");
            Assert.Equal(proposal.CompartmentId, (await DocumentAsync(id)).CompartmentId);
        }
    }

    [Fact]
    public async Task TwoClerksAtOnce_NeverPutTwoLoadsIntoOneCompartment()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var (bridge, _) = await app.StartBridgeAsync(key, new SimulatedLockOptions { OpenDelay = TimeSpan.FromSeconds(10) });
        for (var round = 0; round < 5; round++)
        {
            var first = await RegisterAsync("HOL-1");
            var second = await RegisterAsync("HOL-1");
            var compartment = (await Loading.ProposeAsync([first]))!.CompartmentId;

            var results = await Task.WhenAll(
                Task.Run(() => Loading.StartAsync([first], compartment, "staff:eins")),
                Task.Run(() => Loading.StartAsync([second], compartment, "staff:zwei")));

            Assert.Single(results, r => r.Started);
            Assert.Contains("Fach", app.Services.Words(Assert.Single(results, r => !r.Started).Refusal), StringComparison.Ordinal);
            await using var db = await app.NewDbContextAsync();
            Assert.Equal(1, await db.CompartmentLoads.CountAsync(l => l.CompartmentId == compartment && (l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen)));
            Assert.Equal(1, await db.Documents.CountAsync(d => (d.Id == first || d.Id == second) && d.State == DocumentState.Loading));
        }
        await bridge.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Load_JammedDoor_EndsWithTheReasonAndNothingChanged()
    {
        var (_, driver) = await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var documentId = await RegisterAsync("DLZ-1");
        var proposal = await Loading.ProposeAsync([documentId]);
        driver.Jam(proposal!.Label);

        var start = await Loading.StartAsync([documentId], proposal.CompartmentId, Clerk);

        Assert.True(start.Started);
        await WaitUntilAsync(async () => (await Loading.GetAsync(start.LoadId!.Value))!.Status == LoadStatus.Aborted, "the loading is aborted");
        Assert.Contains(SimulatedLockDriver.JammedDetail, (await Loading.GetAsync(start.LoadId!.Value))!.AbortReason, StringComparison.Ordinal);
        await AssertBackAtCounterAsync(documentId, proposal.CompartmentId);
    }

    [Fact]
    public async Task Load_BoxNeverOnline_IsRefusedAtOnceAndNothingChanged()
    {
        // A bridge an earlier test of the class started would report the box alive again.
        await app.StopBridgesAsync();
        await using (var db = await app.NewDbContextAsync())
        {
            await db.Boxes.Where(b => b.Code == "HOL-1").ExecuteUpdateAsync(s => s.SetProperty(b => b.LastHeartbeatAt, (DateTimeOffset?)null));
        }
        var documentId = await RegisterAsync("HOL-1");
        var proposal = await Loading.ProposeAsync([documentId]);

        var start = await Loading.StartAsync([documentId], proposal!.CompartmentId, Clerk);

        Assert.False(start.Started);
        Assert.Contains("noch nie gemeldet", app.Services.Words(start.Refusal), StringComparison.Ordinal);
        await AssertBackAtCounterAsync(documentId, proposal.CompartmentId);
    }

    [Fact]
    public async Task Load_CancelledByTheClerkBeforeTheDoorOpens_NothingChanged()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        await app.StartBridgeAsync(key, new SimulatedLockOptions { OpenDelay = TimeSpan.FromSeconds(20) });
        var documentId = await RegisterAsync("HOL-1");
        var proposal = await Loading.ProposeAsync([documentId]);
        var start = await Loading.StartAsync([documentId], proposal!.CompartmentId, Clerk);

        Assert.True(await Loading.CancelAsync(start.LoadId!.Value, Clerk));

        Assert.Equal(LoadStatus.Aborted, (await Loading.GetAsync(start.LoadId.Value))!.Status);
        await AssertBackAtCounterAsync(documentId, proposal.CompartmentId);
    }

    [Fact]
    public async Task Load_CommandExpiresWhileTheBridgeIsAway_EndsWithTheReasonAndNothingChanged()
    {
        var key = await app.IssueKeyAsync("HOL-1");
        var (bridge, _) = await app.StartBridgeAsync(key);
        await bridge.StopAsync(TestContext.Current.CancellationToken);
        var documentId = await RegisterAsync("HOL-1");
        var proposal = await Loading.ProposeAsync([documentId]);
        var start = await Loading.StartAsync([documentId], proposal!.CompartmentId, Clerk);
        Assert.True(start.Started, start.Refusal?.ToString());

        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await app.Commands.ExpireOverdueAsync(TestContext.Current.CancellationToken);

        var load = await Loading.GetAsync(start.LoadId!.Value);
        Assert.Equal(LoadStatus.Aborted, load!.Status);
        Assert.Contains("nicht rechtzeitig", load.AbortReason, StringComparison.Ordinal);
        await AssertBackAtCounterAsync(documentId, proposal.CompartmentId);
    }

    [Fact]
    public async Task Load_AccessibleRequired_GetsAnAccessibleCompartment()
    {
        var documentId = await RegisterAsync("DLZ-1", accessible: true);

        var proposal = await Loading.ProposeAsync([documentId]);

        Assert.True(proposal!.Accessible);
    }

    private async Task AssertBackAtCounterAsync(Guid documentId, Guid compartmentId)
    {
        var document = await DocumentAsync(documentId);
        Assert.Equal(DocumentState.Arrived, document.State);
        Assert.Null(document.CompartmentId);
        Assert.Null(document.PinHash);
        Assert.Equal(CompartmentState.Free, (await CompartmentAsync(compartmentId)).State);
        await using var db = await app.NewDbContextAsync();
        Assert.False(await db.OutgoingSms.AnyAsync(m => m.DocumentId == documentId));
    }

    private async Task<Guid> RegisterAsync(string box, bool accessible = false, string? mobileNumber = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Reisepass",
            DocumentNumber = $"C{n:00000000}",
            HolderName = $"Erika Mustermann {n}",
            DateOfBirth = "12.08.1983",
            MobileNumber = mobileNumber ?? $"0170 {1000000 + n}",
            ApplicationReference = $"LOAD-{n}-{Guid.NewGuid():N}"[..30],
            BoxCode = box,
            NeedsAccessibleCompartment = accessible,
        }, Clerk);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.DocumentId!.Value;
    }

    private async Task<Document> DocumentAsync(Guid id)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.Documents.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    private async Task<Compartment> CompartmentAsync(Guid id)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.Compartments.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    [GeneratedRegex(@"PIN: (\d{6})")]
    private static partial Regex Pin();
}
