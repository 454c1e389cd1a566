using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Operations;

namespace BackOffice.Application.Operations;

/// <summary>
/// The webhook's body and signature (docs/webhooks.md). The body holds the idempotency id, the event, the application
/// reference and the time: nothing that names or reaches a person.
/// </summary>
public static class WebhookPayload
{
    public const string SignatureHeader = "X-Ausgabebox-Signature";
    public const string TimestampHeader = "X-Ausgabebox-Timestamp";
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The event a timeline line reports to the registration software, if any.</summary>
    public static WebhookEvent? EventOf(DocumentEvent documentEvent)
    {
        ArgumentNullException.ThrowIfNull(documentEvent);
        return documentEvent.Kind switch
        {
            DocumentEventKind.Loaded => WebhookEvent.Loaded,
            DocumentEventKind.PickedUp => WebhookEvent.Collected,
            DocumentEventKind.Retrieved => WebhookEvent.ReturnedToCounter,
            // After an inventory: taken back to the counter, or missing from its compartment.
            DocumentEventKind.ReturnedToCounter => WebhookEvent.ReturnedToCounter,
            DocumentEventKind.FoundAgain => WebhookEvent.ReturnedToCounter,
            DocumentEventKind.ReportedMissing => WebhookEvent.MarkedMissing,
            _ => null,
        };
    }

    public static string WireName(WebhookEvent webhookEvent) => webhookEvent switch
    {
        WebhookEvent.Loaded => "document.loaded",
        WebhookEvent.Collected => "document.collected",
        WebhookEvent.ReturnedToCounter => "document.returned_to_counter",
        WebhookEvent.MarkedMissing => "document.marked_missing",
        _ => throw new ArgumentOutOfRangeException(nameof(webhookEvent)),
    };

    /// <summary>The JSON body; the same for every attempt of one delivery.</summary>
    public static string Body(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return JsonSerializer.Serialize(new
        {
            id = delivery.Id,
            @event = WireName(delivery.Event),
            applicationReference = delivery.ApplicationReference,
            occurredAt = delivery.OccurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>"sha256=" and the lower-case hex HMAC-SHA256 of "&lt;timestamp&gt;.&lt;body&gt;" under the secret (UTF-8).</summary>
    public static string Sign(string secret, long unixTimestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(unixTimestamp.ToString(CultureInfo.InvariantCulture) + "." + body));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string secret, string timestampHeader, string body, string signatureHeader)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signatureHeader ?? ""));
    }
}
