using System.Text.Json;
using BackOffice.Application.Operations;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Operations;

namespace BackOffice.UnitTests.Operations;

/// <summary>The webhook's body, signature and retry pauses as docs/webhooks.md describes them.</summary>
public class WebhookPayloadTests
{
    private static readonly WebhookDelivery Delivery = new()
    {
        Id = Guid.Parse("6f1c0e52-8a53-4d1e-9a35-0b8a5a1d3f2e"),
        DocumentId = Guid.NewGuid(),
        ApplicationReference = "A-2026-004711",
        Event = WebhookEvent.Collected,
        OccurredAt = new DateTimeOffset(2026, 12, 2, 15, 20, 0, TimeSpan.FromHours(1)),
    };

    [Fact]
    public void Body_HoldsIdEventReferenceAndUtcTime_Only()
    {
        Assert.Equal(
            """{"id":"6f1c0e52-8a53-4d1e-9a35-0b8a5a1d3f2e","event":"document.collected","applicationReference":"A-2026-004711","occurredAt":"2026-12-02T14:20:00.000Z"}""",
            WebhookPayload.Body(Delivery));
    }

    [Fact]
    public void Sign_IsHmacSha256OfTimestampDotBody_InLowerCaseHex()
    {
        // Computed independently: printf '1796220000.{}' | openssl dgst -sha256 -hmac secret
        Assert.Equal("sha256=d9252561932a1de9e655b9497e344bbe99666bcf2d434b85e4eb661ee7693f31",
            WebhookPayload.Sign("secret", 1796220000, "{}"));
    }

    [Fact]
    public void Verify_AcceptsTheSignature_RefusesAnotherBodyTimeOrSecret()
    {
        var body = WebhookPayload.Body(Delivery);
        var signature = WebhookPayload.Sign("the-shared-secret", 1796220000, body);

        Assert.True(WebhookPayload.Verify("the-shared-secret", "1796220000", body, signature));
        Assert.False(WebhookPayload.Verify("the-shared-secret", "1796220001", body, signature));
        Assert.False(WebhookPayload.Verify("the-shared-secret", "1796220000", body.Replace("004711", "004712", StringComparison.Ordinal), signature));
        Assert.False(WebhookPayload.Verify("another-secret", "1796220000", body, signature));
        Assert.False(WebhookPayload.Verify("the-shared-secret", "not-a-time", body, signature));
    }

    [Theory]
    [InlineData(DocumentEventKind.Loaded, WebhookEvent.Loaded)]
    [InlineData(DocumentEventKind.PickedUp, WebhookEvent.Collected)]
    [InlineData(DocumentEventKind.Retrieved, WebhookEvent.ReturnedToCounter)]
    [InlineData(DocumentEventKind.ReturnedToCounter, WebhookEvent.ReturnedToCounter)]
    [InlineData(DocumentEventKind.ReportedMissing, WebhookEvent.MarkedMissing)]
    // Found again after it was reported missing: it is at the counter now.
    [InlineData(DocumentEventKind.FoundAgain, WebhookEvent.ReturnedToCounter)]
    public void EventOf_MapsTheHandovers(DocumentEventKind kind, WebhookEvent expected) =>
        Assert.Equal(expected, WebhookPayload.EventOf(new DocumentEvent { Kind = kind }));

    [Fact]
    public void EventOf_OtherTimelineLines_AreNotReported() =>
        Assert.All(Enum.GetValues<DocumentEventKind>().Except([DocumentEventKind.Loaded, DocumentEventKind.PickedUp, DocumentEventKind.Retrieved,
                DocumentEventKind.ReturnedToCounter, DocumentEventKind.ReportedMissing, DocumentEventKind.FoundAgain]),
            kind => Assert.Null(WebhookPayload.EventOf(new DocumentEvent { Kind = kind })));

    [Fact]
    public void EveryEvent_HasAWireName()
    {
        var names = Enum.GetValues<WebhookEvent>().Select(WebhookPayload.WireName).ToList();
        Assert.Equal(["document.loaded", "document.collected", "document.returned_to_counter", "document.marked_missing"], names);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(WebhookPayload.Body(Delivery)).RootElement.ValueKind);
    }

    [Fact]
    public void Backoff_DoublesFromTheFirstPause_UpToTheLongest()
    {
        var first = TimeSpan.FromSeconds(10);
        var max = TimeSpan.FromMinutes(10);

        Assert.Equal([10, 20, 40, 80, 160, 320, 600, 600],
            Enumerable.Range(1, 8).Select(n => (int)Backoff.Exponential(n, first, max).TotalSeconds));
        Assert.Equal(max, Backoff.Exponential(1000, first, max));
    }
}
