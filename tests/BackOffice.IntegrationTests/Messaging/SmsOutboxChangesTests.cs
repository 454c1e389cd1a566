using BackOffice.Application.Messaging;
using BackOffice.Domain.Messaging;
using BackOffice.Testing;

namespace BackOffice.IntegrationTests.Messaging;

/// <summary>The SMS-Ausgang is live (issue 13): the outbox tells its subscribers when a message is queued, sent or given up.</summary>
public class SmsOutboxChangesTests(SmsAppFactory app) : IClassFixture<SmsAppFactory>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private SmsOutboxChanges Changes => app.Services.GetRequiredService<SmsOutboxChanges>();

    [Fact]
    public async Task QueuedSentAndGivenUp_EachTellTheSubscribers_UntilTheyUnsubscribe()
    {
        var calls = 0;
        var subscription = Changes.Subscribe(() => Interlocked.Increment(ref calls));

        Guid queued;
        await using (var db = await app.NewDbContextAsync())
        {
            queued = app.Outbox.Enqueue(db, "+4917012345601", SmsPurpose.ReadyForPickup, null, $"Eingereiht {Guid.NewGuid()}").Id;
            await db.SaveChangesAsync(Token);
        }
        app.Outbox.Wake();
        Assert.True(Volatile.Read(ref calls) >= 1, "queuing told the subscriber");

        // The wake-up sends it through the app's own dispatcher. Waiting for that round (rather than racing it with a
        // second dispatcher) keeps it from taking the undeliverable message below: its batch was read before that existed.
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref calls) >= 2, "sending told the subscriber");
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.True(await db.OutgoingSms.AnyAsync(m => m.Id == queued && m.Status == SmsStatus.Sent, Token));
        }

        Guid undeliverable;
        await using (var db = await app.NewDbContextAsync())
        {
            undeliverable = app.Outbox.Enqueue(db, "+4917012345602", SmsPurpose.ReadyForPickup, null, $"Unzustellbar {Guid.NewGuid()}").Id;
            await db.SaveChangesAsync(Token);
        }
        var beforeFailure = Volatile.Read(ref calls);
        await app.NewDispatcher(new RefusingSender()).DispatchDueAsync(Token);
        Assert.True(Volatile.Read(ref calls) > beforeFailure, "giving up told the subscriber");
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.True(await db.OutgoingSms.AnyAsync(m => m.Id == undeliverable && m.Status == SmsStatus.Failed, Token));
        }

        subscription.Dispose();
        var afterDispose = Volatile.Read(ref calls);
        app.Outbox.Wake();
        Assert.Equal(afterDispose, Volatile.Read(ref calls));
    }

    private sealed class RefusingSender : ISmsSender
    {
        public Task<SmsSendResult> SendAsync(string recipientE164, string text, CancellationToken cancellationToken) =>
            Task.FromResult(SmsSendResult.PermanentFailure("Nummer unbekannt"));
    }
}
