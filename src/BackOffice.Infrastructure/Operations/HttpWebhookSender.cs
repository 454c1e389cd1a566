using System.Globalization;
using System.Text;
using BackOffice.Application.Operations;
using BackOffice.Domain.Operations;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Operations;

/// <summary>POSTs a webhook as docs/webhooks.md describes: JSON body, idempotency id, timestamp and HMAC-SHA256 signature.</summary>
internal sealed class HttpWebhookSender(IHttpClientFactory httpClients, IOptions<WebhookOptions> settings, TimeProvider timeProvider)
    : IWebhookSender
{
    public const string HttpClientName = "webhooks";

    public async Task<string?> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var options = settings.Value;
        var body = WebhookPayload.Body(delivery);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookPayload.IdempotencyHeader, delivery.Id.ToString());
        request.Headers.Add(WebhookPayload.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookPayload.SignatureHeader, WebhookPayload.Sign(options.Secret, timestamp, body));

        // The timeout is ours (not HttpClient's), so a timeout is told apart from a shutdown.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return response.IsSuccessStatusCode
                ? null
                : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"Keine Antwort innerhalb von {options.Timeout.TotalSeconds:0} s.";
        }
        catch (HttpRequestException ex)
        {
            return $"Nicht erreichbar ({ex.HttpRequestError}).";
        }
    }
}
