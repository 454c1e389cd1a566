using BackOffice.Application.Operations;
using BackOffice.Infrastructure.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// In the namespace of DependencyInjection.cs, so registering takes one line there.
namespace BackOffice.Infrastructure;

public static class OperationsDeliverySetup
{
    /// <summary>The outboxes' claims (PostgreSQL), the webhook's HTTP sender and the alarm e-mail's SMTP sender.</summary>
    public static IHostApplicationBuilder AddOperationsDelivery(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IOutboxClaims, OutboxClaims>();
        // The sender applies Webhooks:Timeout itself, so it can tell a timeout from a shutdown.
        services.AddHttpClient(HttpWebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();
        services.AddSingleton<IAlarmMailSender, SmtpAlarmMailSender>();
        return builder;
    }
}
