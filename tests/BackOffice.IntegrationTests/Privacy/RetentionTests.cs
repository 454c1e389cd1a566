using BackOffice.Application.Audit;
using BackOffice.Application.Privacy;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Documents;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests.Privacy;

/// <summary>The retention job erases exactly the personal data it should, keeps the anonymised record, and is safe to repeat.</summary>
public class RetentionTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    [Fact]
    public async Task AfterTheRetentionPeriod_PersonalDataIsErased_TheRecordAndTheTrailStay_AndASecondRunChangesNothing()
    {
        var (bridge, _) = await app.StartOpenBoxAsync();
        var old = await ReadyDocuments.CreateAsync(app, "T22000129", "P");
        var response = await bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), old.Phone, old.Pin, "T22000129", null), TestContext.Current.CancellationToken);
        Assert.True(response.Granted, response.Message);
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, old.Id)).State == DocumentState.PickedUp, "handed over");
        var before = await ReadyDocuments.GetAsync(app, old.Id);

        // 20 days later another one is handed over; 11 more days and only the first is past the 30 days.
        app.Clock.Advance(TimeSpan.FromDays(20));
        await bridge.SendHeartbeatAsync(TestContext.Current.CancellationToken);
        var recent = await ReadyDocuments.CreateAsync(app, "T22000129", "P");
        var again = await bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), recent.Phone, recent.Pin, "T22000129", null), TestContext.Current.CancellationToken);
        Assert.True(again.Granted, again.Message);
        await WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, recent.Id)).State == DocumentState.PickedUp, "handed over");
        var waiting = await ReadyDocuments.CreateAsync(app, "T22000129", "P");
        app.Clock.Advance(TimeSpan.FromDays(11));

        var retention = app.Services.GetRequiredService<PersonalDataRetention>();
        var first = await retention.RunAsync("staff:admin@demo.local");
        var second = await retention.RunAsync(AuditTrail.System);

        Assert.Equal(1, first.DocumentsErased);
        Assert.True(first.MessagesErased >= 1);
        Assert.Equal(0, second.DocumentsErased);
        var erased = await ReadyDocuments.GetAsync(app, old.Id);
        Assert.Equal("", erased.HolderName);
        Assert.Equal("", erased.MobileNumber);
        Assert.Equal(DateOnly.MinValue, erased.DateOfBirth);
        Assert.Empty(erased.OldDocumentNumbers);
        Assert.StartsWith("~", erased.DocumentNumber, StringComparison.Ordinal);
        Assert.NotNull(erased.PersonalDataErasedAt);
        // The anonymised record for statistics stays.
        Assert.Equal((before.Type, before.BoxId, before.CompartmentId, before.State, before.ReadyAt, before.PickedUpAt, before.ApplicationReference),
            (erased.Type, erased.BoxId, erased.CompartmentId, erased.State, erased.ReadyAt, erased.PickedUpAt, erased.ApplicationReference));
        // The newer handover and the document still in the box are untouched.
        Assert.Null((await ReadyDocuments.GetAsync(app, recent.Id)).PersonalDataErasedAt);
        Assert.NotEqual("", (await ReadyDocuments.GetAsync(app, recent.Id)).HolderName);
        Assert.Equal(DocumentState.ReadyForPickup, (await ReadyDocuments.GetAsync(app, waiting.Id)).State);
        Assert.NotEqual("", (await ReadyDocuments.GetAsync(app, waiting.Id)).MobileNumber);

        await using var check = await app.NewDbContextAsync();
        Assert.DoesNotContain(await check.OutgoingSms.Where(m => m.DocumentId == old.Id).Select(m => m.Recipient).ToListAsync(), r => r != "");
        Assert.True(await check.DocumentEvents.CountAsync(e => e.DocumentId == old.Id) >= 4, "The timeline stays.");
        Assert.Single(await check.DocumentEvents.Where(e => e.DocumentId == old.Id && e.Kind == DocumentEventKind.PersonalDataErased).ToListAsync());
        // The audit trail never held the personal data, and is still intact.
        var trail = await check.AuditEntries.Select(a => a.Actor + " " + a.Subject + " " + a.Details).ToListAsync();
        Assert.DoesNotContain(trail, line => line.Contains(before.HolderName, StringComparison.Ordinal) || line.Contains(before.MobileNumber[3..], StringComparison.Ordinal));
        Assert.True((await app.Services.GetRequiredService<AuditChain>().VerifyAsync()).Intact);
        Assert.Equal(1, await check.RetentionRuns.CountAsync(r => r.StartedBy == "staff:admin@demo.local"));
    }

    [Fact]
    public async Task Export_ReturnsThePersonsDocumentsWithTimeline_AndIsAudited()
    {
        await app.StartBridgeAsync(DemoBoxes.DevelopmentBridgeKeyDlz1);
        var ready = await ReadyDocuments.CreateAsync(app, "T22000129", "W");
        var number = (await ReadyDocuments.GetAsync(app, ready.Id)).DocumentNumber;

        var export = await app.Services.GetRequiredService<PersonalDataExport>().ExportAsync(number.ToLowerInvariant(), "staff:admin@demo.local");

        var document = Assert.Single(export!.Documents);
        Assert.Equal(ready.Phone, document.MobileNumber);
        Assert.Contains(document.Timeline, e => e.Event == "eingelegt");
        Assert.NotEmpty(document.Messages);
        Assert.Null(await app.Services.GetRequiredService<PersonalDataExport>().ExportAsync("C00000000", "staff:admin@demo.local"));
        await using var db = await app.NewDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "privacy.export" && a.Subject == AuditTrail.Document(ready.Id)));
    }
}
