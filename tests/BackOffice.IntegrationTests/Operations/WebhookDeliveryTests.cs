using System.Text.Json;
using BackOffice.Application.Audit;
using BackOffice.Application.Documents;
using BackOffice.Application.Operations;
using BackOffice.Bridge;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Operations;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;

namespace BackOffice.IntegrationTests.Operations;

/// <summary>Handover events to the registration software: signed POSTs to a real HTTP server that fails and recovers.</summary>
public class WebhookDeliveryTests(WebhookAppFactory app) : IClassFixture<WebhookAppFactory>, IAsyncLifetime
{
    private const string OldNumber = "T22000129";
    private BridgeClient _bridge = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        app.Receiver.StatusCode = 200;
        (_bridge, _) = await app.StartOpenBoxAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task LoadingAndPickupAtTheBox_PostSignedEvents_WithTheReferenceAndNoPersonalData()
    {
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber, "W");
        Document document;
        await using (var db = await app.NewDbContextAsync())
        {
            document = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == ready.Id);
        }

        var loaded = await WaitForAsync(document.ApplicationReference, "document.loaded");

        var response = await _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, OldNumber, null), Token);
        Assert.True(response.Granted);
        var collected = await WaitForAsync(document.ApplicationReference, "document.collected");

        foreach (var request in new[] { loaded, collected })
        {
            Assert.Equal("application/json; charset=utf-8", request.ContentType);
            Assert.True(WebhookPayload.Verify(WebhookAppFactory.Secret, request.Headers[WebhookPayload.TimestampHeader], request.Body,
                request.Headers[WebhookPayload.SignatureHeader]), "the signature verifies under the shared secret");
            Assert.False(WebhookPayload.Verify("another-secret-of-the-same-length-0000000", request.Headers[WebhookPayload.TimestampHeader],
                request.Body, request.Headers[WebhookPayload.SignatureHeader]));
            using var json = JsonDocument.Parse(request.Body);
            Assert.Equal(["id", "event", "applicationReference", "occurredAt"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(request.Headers[WebhookPayload.IdempotencyHeader], json.RootElement.GetProperty("id").GetString());
            // Nothing that names or reaches the citizen, in the body or any header.
            var everything = request.Body + string.Join("\n", request.Headers.Values);
            foreach (var personal in new[]
                     {
                         document.HolderName, "Mustermann", document.DocumentNumber, ready.Phone, ready.Phone[3..], ready.Pin, OldNumber,
                         "1983-08-12", "12.08.1983", document.Id.ToString(),
                     })
            {
                Assert.DoesNotContain(personal, everything, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task ReceiverDownForAnHour_LosesNothing_RetriesWithGrowingPauses_AndDeliversOnceWhenItRecovers()
    {
        app.Receiver.StatusCode = 503;
        var (documentId, reference) = await RegisterAsync();
        var before = app.Receiver.Requests.Count;
        await AddTimelineAsync(documentId, DocumentEventKind.Retrieved);
        var delivery = await SingleDeliveryAsync(documentId);
        Assert.Equal(WebhookEvent.ReturnedToCounter, delivery.Event);
        // The new event woke the app's own dispatcher: its first attempt is recorded before the clock moves.
        await Eventually.WaitUntilAsync(async () => (await SingleDeliveryAsync(documentId)).Attempts == 1, "the first attempt failed");

        // An hour of outage in one-minute steps, a dispatch round at each (as the poll would do).
        for (var minute = 0; minute <= 60; minute++)
        {
            await app.Dispatcher.DispatchDueAsync(Token);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var attempts = app.Receiver.Requests.Skip(before).Where(r => r.Body.Contains(reference, StringComparison.Ordinal)).ToList();
        // 10 s, 20 s, 40 s … capped at 10 min: about a dozen attempts in the hour, not one a minute.
        Assert.InRange(attempts.Count, 8, 14);
        Assert.All(attempts, a => Assert.Equal(503, a.StatusAnswered));
        Assert.Single(attempts.Select(a => a.Headers[WebhookPayload.IdempotencyHeader]).Distinct());
        var waiting = await SingleDeliveryAsync(documentId);
        Assert.Equal(OutboxStatus.Pending, waiting.Status);
        Assert.Equal(attempts.Count, waiting.Attempts);
        Assert.StartsWith("HTTP 503", waiting.LastError, StringComparison.Ordinal);
        Assert.Contains(await app.Administration.ListUndeliveredAsync(Token), u => u.Id == delivery.Id && u.ApplicationReference == reference);

        // Back up: within the longest pause the event arrives, exactly once more, with the same idempotency id.
        app.Receiver.StatusCode = 200;
        for (var minute = 0; minute <= 10; minute++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await app.Dispatcher.DispatchDueAsync(Token);
        }
        var delivered = await SingleDeliveryAsync(documentId);
        Assert.Equal(OutboxStatus.Delivered, delivered.Status);
        var accepted = Assert.Single(app.Receiver.Requests, r => r.StatusAnswered == 200 && r.Body.Contains(reference, StringComparison.Ordinal));
        Assert.Equal(delivery.Id.ToString(), accepted.Headers[WebhookPayload.IdempotencyHeader]);
        Assert.DoesNotContain(await app.Administration.ListUndeliveredAsync(Token), u => u.Id == delivery.Id);
        await using var db = await app.NewDbContextAsync();
        Assert.Single(await db.AuditEntries.Where(a => a.Action == "webhook.delivered" && a.Subject == AuditTrail.Document(documentId)).ToListAsync(Token));
    }

    [Fact]
    public async Task Retry_MakesAnUndeliveredEventDueNow_Audited()
    {
        app.Receiver.StatusCode = 500;
        var (documentId, _) = await RegisterAsync();
        await AddTimelineAsync(documentId, DocumentEventKind.Loaded);
        var delivery = await SingleDeliveryAsync(documentId);
        await app.Dispatcher.DispatchDueAsync(Token);
        await Eventually.WaitUntilAsync(async () => (await SingleDeliveryAsync(documentId)).Attempts >= 1, "first attempt failed");
        app.Receiver.StatusCode = 200;

        Assert.True(await app.Administration.RetryAsync(delivery.Id, "staff:teamleitung@demo.local", Token));

        // The retry wakes the app's own dispatcher; no clock moves.
        await Eventually.WaitUntilAsync(async () => (await SingleDeliveryAsync(documentId)).Status == OutboxStatus.Delivered, "delivered after the retry");
        Assert.False(await app.Administration.RetryAsync(delivery.Id, "staff:teamleitung@demo.local", Token), "a delivered event is not retried");
        await using var db = await app.NewDbContextAsync();
        var audit = Assert.Single(await db.AuditEntries.Where(a => a.Action == "webhook.retry" && a.Subject == AuditTrail.Document(documentId)).ToListAsync(Token));
        Assert.Equal("staff:teamleitung@demo.local", audit.Actor);
    }

    [Fact]
    public async Task ThreeDispatchersAtOnce_DeliverEachEventExactlyOnce()
    {
        app.Receiver.StatusCode = 200;
        var ids = new List<Guid>();
        await using (var db = await app.NewDbContextAsync())
        {
            var outbox = app.Services.GetRequiredService<WebhookOutbox>();
            var (documentId, reference) = await RegisterAsync();
            for (var i = 0; i < 40; i++)
            {
                var line = new DocumentEvent { DocumentId = documentId, At = app.Clock.GetUtcNow(), Kind = DocumentEventKind.Loaded, Actor = "system", Note = "" };
                Assert.True(outbox.EnqueueFor(db, line, reference));
            }
            await db.SaveChangesAsync(Token);
            ids.AddRange(db.ChangeTracker.Entries<WebhookDelivery>().Select(e => e.Entity.Id));
        }
        var dispatchers = new[] { app.NewDispatcher(), app.NewDispatcher(), app.NewDispatcher() };

        await Task.WhenAll(dispatchers.Select(d => Task.Run(async () =>
        {
            while (await d.DispatchDueAsync(Token) > 0)
            {
            }
        })));
        await Eventually.WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            return await db.WebhookDeliveries.CountAsync(w => ids.Contains(w.Id) && w.Status == OutboxStatus.Delivered, Token) == ids.Count;
        }, "all delivered");

        var received = app.Receiver.Requests.Select(r => r.Headers[WebhookPayload.IdempotencyHeader]).Where(h => ids.Contains(Guid.Parse(h))).ToList();
        Assert.Equal(ids.Count, received.Count);
        Assert.Equal(ids.Count, received.Distinct().Count());
    }

    private async Task<(Guid Id, string Reference)> RegisterAsync()
    {
        var reference = $"WH-{Guid.NewGuid():N}"[..20];
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Personalausweis", DocumentNumber = $"H{Random.Shared.Next(10_000_000, 99_999_999)}", HolderName = "Erika Beispiel",
            DateOfBirth = "12.08.1983", MobileNumber = $"+49171{Random.Shared.Next(1_000_000, 9_999_999)}", OldDocumentNumbers = [],
            ApplicationReference = reference, BoxCode = "DLZ-1",
        }, "staff:test", Token);
        Assert.True(result.DocumentId is not null, result.ToString());
        return (result.DocumentId.Value, reference);
    }

    /// <summary>A timeline line as a lifecycle step writes it (the document tracked in the same unit of work).</summary>
    private async Task AddTimelineAsync(Guid documentId, DocumentEventKind kind)
    {
        await using var db = await app.NewDbContextAsync();
        var document = await db.Documents.SingleAsync(d => d.Id == documentId, Token);
        AuditTrail.AddTimeline(db, DocumentEvent.For(document, kind, app.Clock.GetUtcNow(), "system", "Test"));
        await db.SaveChangesAsync(Token);
    }

    private async Task<WebhookDelivery> SingleDeliveryAsync(Guid documentId)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.WebhookDeliveries.AsNoTracking().SingleAsync(w => w.DocumentId == documentId, Token);
    }

    private async Task<ReceivedWebhook> WaitForAsync(string reference, string eventName)
    {
        ReceivedWebhook? found = null;
        await Eventually.WaitUntilAsync(() =>
        {
            found = app.Receiver.Requests.FirstOrDefault(r => r.StatusAnswered == 200
                && r.Body.Contains(reference, StringComparison.Ordinal) && r.Body.Contains($"\"{eventName}\"", StringComparison.Ordinal));
            return found is not null;
        }, $"{eventName} received");
        return found!;
    }
}
