using BackOffice.Domain.Operations;

namespace BackOffice.Application.Operations;

/// <summary>POSTs one webhook (body, signature and headers from <see cref="WebhookPayload"/>); reports trouble as a result.</summary>
public interface IWebhookSender
{
    /// <returns>Null when the receiver accepted it (2xx); otherwise why not, for the undelivered list.</returns>
    Task<string?> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken);
}
