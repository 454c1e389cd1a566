using BackOffice.Application.Bridge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BackOffice.Application.Telemetry;

public static class TelemetrySetup
{
    /// <summary>The product's metrics and the gauges' reader; exporters and instrumentation are the host's (Web).</summary>
    public static IHostApplicationBuilder AddBackOfficeMetrics(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName))
            .Validate(s => s.GaugeInterval >= TimeSpan.FromSeconds(1), "Telemetry:GaugeInterval must be at least one second.")
            .ValidateOnStart();
        services.AddSingleton<BackOfficeMetrics>();
        services.AddSingleton<IBridgeObserver, CommandMetricsObserver>();
        services.AddSingleton<TelemetryGauges>();
        services.AddHostedService(provider => provider.GetRequiredService<TelemetryGauges>());
        return builder;
    }
}
