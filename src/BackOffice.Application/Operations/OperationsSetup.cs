using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Operations;

public static class OperationsSetup
{
    /// <summary>Webhooks to the registration software and the alarms (evaluation, list, e-mail outbox).</summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection(WebhookOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookAdministration>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());

        services.AddOptions<AlarmOptions>().Bind(builder.Configuration.GetSection(AlarmOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlarmOptions>, AlarmOptionsValidator>();
        services.AddOptions<AlarmMailOptions>().Bind(builder.Configuration.GetSection(AlarmMailOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlarmMailOptions>, AlarmMailOptionsValidator>();
        services.AddSingleton<AlarmChanges>();
        services.AddSingleton<AlarmMailSignal>();
        services.AddSingleton<AlarmService>();
        services.AddHostedService(provider => provider.GetRequiredService<AlarmService>());
        services.AddSingleton<IAlarmCounts>(provider => provider.GetRequiredService<AlarmService>());
        services.AddSingleton<AlarmMailDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<AlarmMailDispatcher>());
        return builder;
    }
}
