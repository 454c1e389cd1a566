using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BackOffice.Bridge;

/// <summary>
/// OpenTelemetry for the bridge process (docs/operations-telemetry.md): its <c>bridge.unlock</c> spans and its metrics,
/// exported over OTLP only when <c>Telemetry:OtlpEndpoint</c> is set, as service <see cref="BridgeTelemetry.ServiceName"/>
/// with the box code as a resource attribute. An embedded <see cref="BridgeClient"/> exports nothing itself: its host
/// decides.
/// </summary>
internal static class BridgeTelemetrySetup
{
    public static IHostApplicationBuilder AddBridgeTelemetry(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(BridgeTelemetryOptions.SectionName);
        builder.Services.AddOptions<BridgeTelemetryOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BridgeTelemetryOptions>, BridgeTelemetryOptionsValidator>();

        // The SDK's providers are built from the registration, so the decision is made on the raw settings here; settings
        // that fail validation register nothing, and the start is refused by the validator above.
        var settings = section.Get<BridgeTelemetryOptions>() ?? new BridgeTelemetryOptions();
        if (new BridgeTelemetryOptionsValidator().Validate(null, settings).Failed
            || BridgeTelemetryOptionsValidator.EndpointOf(settings) is not { } endpoint
            || BridgeTelemetryOptionsValidator.ProtocolOf(settings) is not { } protocol)
        {
            return builder;
        }
        var boxCode = settings.BoxCode!;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(BridgeTelemetry.ServiceName, serviceVersion: typeof(BridgeTelemetrySetup).Assembly.GetName().Version?.ToString())
                .AddAttributes([new KeyValuePair<string, object>(BridgeTelemetry.BoxTag, boxCode)]))
            .WithTracing(tracing => tracing
                .AddSource(BridgeTelemetry.Name)
                .AddOtlpExporter(options => Configure(options, endpoint, protocol, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(BridgeTelemetry.Name)
                .AddOtlpExporter(options => Configure(options, endpoint, protocol, "v1/metrics")));
        return builder;
    }

    /// <summary>OTLP/HTTP needs the signal's path on the endpoint; gRPC takes the collector's address as it is.</summary>
    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
