using BackOffice.Application.Abstractions;
using BackOffice.Application.Messaging;
using BackOffice.Infrastructure.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// In the namespace of DependencyInjection.cs, so registering takes one line there and no using.
namespace BackOffice.Infrastructure;

public static class SmsGatewaySetup
{
    /// <summary>
    /// The encryption of queued SMS texts (Data Protection; the key ring is set up with the personal data's), and the HTTP
    /// SMS gateway sender (<c>Sms:Sender=HttpGateway</c>) with its settings.
    /// </summary>
    public static IHostApplicationBuilder AddSmsGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDataProtection();
        services.AddSingleton<ISmsTextProtector, DataProtectionSmsTexts>();
        services.AddOptions<SmsGatewayOptions>()
            .Bind(builder.Configuration.GetSection(SmsGatewayOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsGatewayOptions>, SmsGatewayOptionsValidator>();
        // The sender applies Sms:Gateway:Timeout itself, so it can tell a timeout from a shutdown. No request logging
        // by the factory: some gateways take the API key in the URL.
        services.AddHttpClient(HttpSmsGatewaySender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddKeyedSingleton<ISmsSender, HttpSmsGatewaySender>(SmsSenderKind.HttpGateway);
        return builder;
    }
}
