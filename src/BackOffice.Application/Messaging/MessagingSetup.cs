using BackOffice.Application.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// In the namespace of DependencyInjection.cs, so registering takes one line there and no using.
namespace BackOffice.Application;

public static class MessagingSetup
{
    /// <summary>
    /// SMS outbox, dispatcher, development sender; the text encryption (<see cref="Abstractions.ISmsTextProtector"/>) and
    /// the HTTP gateway sender come from the infrastructure.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SmsOptions>()
            .Bind(builder.Configuration.GetSection(SmsOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>();

        services.AddSingleton<SmsOutboxChanges>();
        services.AddSingleton<SmsDispatchSignal>();
        services.AddSingleton<SmsOutbox>();
        services.AddSingleton<SmsOutboxAdministration>();

        // Every sender is registered under its kind; the validated setting picks one when first needed, so the
        // choice follows configuration from any source (environment, tests) and the start-up check guards it.
        services.AddSingleton<DevelopmentSmsSender>();
        services.AddKeyedSingleton<ISmsSender>(SmsSenderKind.Development, (provider, _) => provider.GetRequiredService<DevelopmentSmsSender>());
        services.AddSingleton(provider =>
            provider.GetRequiredKeyedService<ISmsSender>(provider.GetRequiredService<IOptions<SmsOptions>>().Value.Sender));

        services.AddSingleton<SmsDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<SmsDispatcher>());
        return builder;
    }
}
