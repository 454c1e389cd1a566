using BackOffice.Application.Messaging;
using BackOffice.Domain.Messaging;
using BackOffice.Testing;
using Microsoft.AspNetCore.Http;

namespace BackOffice.IntegrationTests.Messaging;

public class SmsDispatcherTests(SmsAppFactory app) : IClassFixture<SmsAppFactory>
{
    private const string Recipient = "+4917012345678";
    private const string MaskedRecipient = "+49170*****678";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_StoresTheTextEncrypted_DispatchSendsItAndErasesIt()
    {
        var pin = "318274";
        var text = SmsTexts.ReadyForPickup([new SmsDocument("Reisepass", "Max")], "Dienstleistungszentrum", "Willi-Becker-Allee 7", "rund um die Uhr",
            app.Clock.GetUtcNow().AddDays(10), pin);

        var id = await EnqueueAsync(text);

        var stored = await FindAsync(id);
        Assert.Equal(SmsStatus.Pending, stored.Status);
        Assert.NotNull(stored.ProtectedBody);
        Assert.DoesNotContain(pin, stored.ProtectedBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Reisepass", stored.ProtectedBody, StringComparison.Ordinal);

        Assert.True(await app.Dispatcher.DispatchDueAsync(Token) >= 1);

        var sent = Assert.Single(app.DevelopmentSender.Messages, m => m.Text == text);
        Assert.Equal(Recipient, sent.Recipient);
        var row = await FindAsync(id);
        Assert.Equal(SmsStatus.Sent, row.Status);
        Assert.Null(row.ProtectedBody);
        Assert.Equal(1, row.Attempts);
        AssertClose(app.Clock.GetUtcNow(), row.SentAt!.Value);
        Assert.Equal(sent.MessageId, row.GatewayMessageId);

        // Without a document the audit subject is the message itself (with one: "document:<id>").
        var audit = Assert.Single(await AuditAsync($"sms:{id}"));
        Assert.Equal("sms.sent", audit.Action);
        Assert.Equal("system", audit.Actor);
        Assert.Contains(MaskedRecipient, audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Recipient, audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(pin, audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_RefusesANumberThatIsNotE164()
    {
        await using var db = await app.NewDbContextAsync();

        Assert.Throws<ArgumentException>(() => app.Outbox.Enqueue(db, "0170 1234567", SmsPurpose.ReadyForPickup, null, "Text"));
    }

    [Fact]
    public async Task Wake_SendsAtOnce_WithoutWaitingForThePoll()
    {
        var text = $"Geweckt {Guid.NewGuid()}";
        var id = await EnqueueAsync(text);

        app.Outbox.Wake();

        await Eventually.WaitUntilAsync(async () => (await FindAsync(id)).Status == SmsStatus.Sent, "the woken dispatcher sent the SMS");
        Assert.Single(app.DevelopmentSender.Messages, m => m.Text == text);
    }

    [Fact]
    public async Task TemporaryFailures_AreRetriedAfterTheBackoff_ThenGivenUpAudited_AndStaffCanRetry()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        gateway.Respond = (context, _, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var dispatcher = app.NewDispatcher(gateway.CreateSender());
        var pin = "550123";
        var id = await EnqueueAsync($"Neue PIN: {pin}");

        await dispatcher.DispatchDueAsync(Token);

        var row = await FindAsync(id);
        Assert.Equal(SmsStatus.Pending, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.StartsWith("HTTP 503", row.LastError, StringComparison.Ordinal);
        AssertClose(app.Clock.GetUtcNow() + TimeSpan.FromSeconds(10), row.NextAttemptAt);
        Assert.NotNull(row.ProtectedBody);
        var problem = Assert.Single(await Administration.ListProblemsAsync(Token), p => p.Id == id);
        Assert.Equal(MaskedRecipient, problem.MaskedRecipient);

        // Not due yet: nothing is sent.
        app.Clock.Advance(TimeSpan.FromSeconds(9));
        await dispatcher.DispatchDueAsync(Token);
        Assert.Single(gateway.Requests);

        TimeSpan[] waits = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)];
        foreach (var wait in waits)
        {
            app.Clock.Advance(wait);
            await dispatcher.DispatchDueAsync(Token);
        }

        row = await FindAsync(id);
        Assert.Equal(SmsStatus.Failed, row.Status);
        Assert.Equal(6, row.Attempts);
        Assert.Equal(6, gateway.Requests.Count);
        Assert.NotNull(row.ProtectedBody);
        var audit = Assert.Single(await AuditAsync($"sms:{id}"));
        Assert.Equal("sms.failed", audit.Action);
        Assert.Contains("6 attempt", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(pin, audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Recipient, audit.Details, StringComparison.Ordinal);
        Assert.Equal(SmsStatus.Failed, Assert.Single(await Administration.ListProblemsAsync(Token), p => p.Id == id).Status);

        // A clerk sends it again; this time the app's own dispatcher is woken and delivers it.
        Assert.True(await Administration.RetryAsync(id, "staff:sachbearbeitung@demo.local", Token));
        Assert.False(await Administration.RetryAsync(id, "staff:sachbearbeitung@demo.local", Token), "Only a failed SMS can be retried.");

        await Eventually.WaitUntilAsync(async () => (await FindAsync(id)).Status == SmsStatus.Sent, "the retried SMS was sent");
        Assert.Contains(await AuditAsync($"sms:{id}"), a => a.Action == "sms.retry" && a.Actor == "staff:sachbearbeitung@demo.local");
        Assert.Contains(await AuditAsync($"sms:{id}"), a => a.Action == "sms.sent");
        Assert.DoesNotContain(await Administration.ListProblemsAsync(Token), p => p.Id == id);
    }

    [Fact]
    public async Task PermanentFailure_FailsAtOnce()
    {
        await using var gateway = await FakeSmsGateway.StartAsync();
        gateway.Respond = async (context, _, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("unknown number");
        };
        var id = await EnqueueAsync("Text");

        await app.NewDispatcher(gateway.CreateSender()).DispatchDueAsync(Token);

        var row = await FindAsync(id);
        Assert.Equal(SmsStatus.Failed, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("unknown number", row.LastError, StringComparison.Ordinal);
        Assert.Equal("sms.failed", Assert.Single(await AuditAsync($"sms:{id}")).Action);
    }

    [Fact]
    public async Task TwoDispatchers_AtTheSameTime_SendEachMessageOnce()
    {
        var texts = Enumerable.Range(0, 60).Select(i => $"Parallel {i} {Guid.NewGuid()}").ToList();
        await using (var db = await app.NewDbContextAsync())
        {
            foreach (var text in texts)
            {
                app.Outbox.Enqueue(db, Recipient, SmsPurpose.PickupReminder, null, text);
            }
            await db.SaveChangesAsync(Token);
        }
        var first = app.Dispatcher;
        var second = app.NewDispatcher();

        var handled = await Task.WhenAll(Task.Run(() => DrainAsync(first)), Task.Run(() => DrainAsync(second)));

        Assert.Equal(texts.Count, handled.Sum());
        var sent = app.DevelopmentSender.Messages.Select(m => m.Text).ToList();
        Assert.All(texts, text => Assert.Single(sent, s => s == text));
        await using (var db = await app.NewDbContextAsync())
        {
            Assert.Equal(0, await db.OutgoingSms.CountAsync(m => m.Purpose == SmsPurpose.PickupReminder && m.Status != SmsStatus.Sent, Token));
        }
    }

    private SmsOutboxAdministration Administration => app.Services.GetRequiredService<SmsOutboxAdministration>();

    // PostgreSQL keeps microseconds, the clock has ticks.
    private static void AssertClose(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.True((expected - actual).Duration() < TimeSpan.FromMilliseconds(1), $"Expected {expected:O}, got {actual:O}.");

    private static async Task<int> DrainAsync(SmsDispatcher dispatcher)
    {
        var total = 0;
        int handled;
        do
        {
            handled = await dispatcher.DispatchDueAsync(Token);
            total += handled;
        }
        while (handled > 0);
        return total;
    }

    private async Task<Guid> EnqueueAsync(string text)
    {
        await using var db = await app.NewDbContextAsync();
        var message = app.Outbox.Enqueue(db, Recipient, SmsPurpose.ReadyForPickup, null, text);
        await db.SaveChangesAsync(Token);
        return message.Id;
    }

    private async Task<OutgoingSms> FindAsync(Guid id)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.OutgoingSms.AsNoTracking().SingleAsync(m => m.Id == id, Token);
    }

    private async Task<List<BackOffice.Domain.Audit.AuditEntry>> AuditAsync(string subject)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Subject == subject && a.Action.StartsWith("sms.")).ToListAsync(Token);
    }
}
