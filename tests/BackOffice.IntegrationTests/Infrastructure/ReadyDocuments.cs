using System.Text.RegularExpressions;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Documents;

namespace BackOffice.IntegrationTests.Infrastructure;

/// <summary>A document loaded into a compartment of DLZ-1, with the PIN its holder received by SMS.</summary>
public sealed record ReadyDocument(Guid Id, string Phone, string Pin, string Label);

/// <summary>Registers documents and loads them through the real bridge, as the counter does, for pickup scenarios.</summary>
public static partial class ReadyDocuments
{
    private static int _sequence;

    /// <summary>Registers a document for DLZ-1, loads it through the running bridge, and reads its PIN from the SMS.</summary>
    public static async Task<ReadyDocument> CreateAsync(BridgeAppFactory app, string oldNumber, string numberPrefix = "L")
    {
        var n = Interlocked.Increment(ref _sequence);
        var phone = $"+49171{3000000 + n}";
        var registered = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Personalausweis", DocumentNumber = $"{numberPrefix}{n:00000000}", HolderName = $"Erika Mustermann {n}",
            DateOfBirth = "12.08.1983", MobileNumber = phone, OldDocumentNumbers = [oldNumber],
            ApplicationReference = $"PICK-{n}-{Guid.NewGuid():N}"[..30], BoxCode = "DLZ-1",
        }, "staff:test");
        Assert.True(registered.DocumentId is not null, "registered");
        var id = registered.DocumentId.Value;
        var loading = app.Services.GetRequiredService<DocumentLoading>();
        var proposal = await loading.ProposeAsync([id]);
        var start = await loading.StartAsync([id], proposal!.CompartmentId, "staff:test");
        Assert.True(start.Started, start.Refusal?.ToString());
        await BridgeAppFactory.WaitUntilAsync(async () => (await GetAsync(app, id)).State == DocumentState.ReadyForPickup, "loaded");
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        // The app's own dispatcher may already be sending it; either way it arrives.
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);
        await BridgeAppFactory.WaitUntilAsync(() => Task.FromResult(sender.Messages.Any(m => m.Recipient == phone)), "the SMS is sent");
        var sms = sender.Messages.First(m => m.Recipient == phone);
        return new ReadyDocument(id, phone, Pin().Match(sms.Text).Groups[1].Value, proposal.Label);
    }

    public static async Task<Document> GetAsync(BridgeAppFactory app, Guid id)
    {
        await using var db = await app.NewDbContextAsync();
        return await db.Documents.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    /// <summary>The PIN in a text from <see cref="SmsTexts"/>.</summary>
    [GeneratedRegex(@"PIN: (\d{6})")]
    public static partial Regex Pin();
}
