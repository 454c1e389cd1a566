using BackOffice.Application.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BackOffice.Web.Telemetry;

/// <summary>
/// OpenTelemetry for the city's IT operations (docs/operations-telemetry.md): traces of requests, database calls and the
/// unlock path (clerk's click, the command, the bridge's result); the product's metrics; OTLP export only when
/// <c>Telemetry:OtlpEndpoint</c> is set; the Prometheus endpoint <c>/metrics</c> only when switched on, and only for the
/// configured networks or the bearer token.
/// </summary>
internal static class TelemetryWeb
{
    public const string ServiceName = "ausgabebox-backoffice";
    public const string MetricsPolicy = "MetricsScraper";

    /// <summary>Blazor's own spans (.NET 10): the clerk's click in a circuit is the root of the unlock trace.</summary>
    private const string BlazorActivitySource = "Microsoft.AspNetCore.Components";

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitMetricsHandler>());
        var settings = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = TelemetryOptionsValidator.OtlpEndpointOf(settings);
        var protocol = TelemetryOptionsValidator.ProtocolOf(settings) ?? OtlpExportProtocol.HttpProtobuf;

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(TelemetryWeb).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(BackOfficeTelemetry.Name, BlazorActivitySource)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsPlumbing(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddEntityFrameworkCoreInstrumentation()
                    // First, so every exporter after it sees the spans without the denied tags.
                    .AddProcessor(new PersonalDataTagFilter());
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(options => Configure(options, otlp, protocol, "v1/traces"));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BackOfficeTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (settings.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(options => Configure(options, otlp, protocol, "v1/metrics"));
                }
            });

        if (settings.Prometheus.Enabled)
        {
            services.AddAuthentication()
                .AddScheme<AuthenticationSchemeOptions, MetricsScraperAuthenticationHandler>(MetricsScraperAuthenticationHandler.SchemeName, null);
            services.Configure<AuthorizationOptions>(options => options.AddPolicy(MetricsPolicy, policy => policy
                .AddAuthenticationSchemes(MetricsScraperAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()));
        }
        return builder;
    }

    public static void MapTelemetryEndpoints(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Prometheus.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(PrometheusEndpointOptions.Path).RequireAuthorization(MetricsPolicy);
        }
    }

    /// <summary>Scrapes and health probes every few seconds: no span each time.</summary>
    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments(PrometheusEndpointOptions.Path) || path.StartsWithSegments("/health");

    /// <summary>OTLP/HTTP needs the signal's path on the endpoint; gRPC takes the collector's address as it is.</summary>
    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
    }
}
