namespace BackOffice.Application.Telemetry;

/// <summary>Settings under <c>Telemetry</c>: where traces and metrics go (docs/operations-telemetry.md).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The OpenTelemetry collector, e.g. <c>http://otel-collector:4318</c> (OTLP/HTTP) or <c>http://otel-collector:4317</c>
    /// (gRPC). Nothing is exported when empty.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>HttpProtobuf</c> (default; <c>/v1/traces</c> and <c>/v1/metrics</c> are appended) or <c>Grpc</c>.</summary>
    public string OtlpProtocol { get; set; } = "HttpProtobuf";

    /// <summary>How often the gauges (boxes online, SMS queue, open alarms) are read from the database and the box monitor.</summary>
    public TimeSpan GaugeInterval { get; set; } = TimeSpan.FromSeconds(15);

    public PrometheusEndpointOptions Prometheus { get; set; } = new();
}

/// <summary>The scraping endpoint <c>/metrics</c> for IT that runs Prometheus.</summary>
public sealed class PrometheusEndpointOptions
{
    public const string Path = "/metrics";

    /// <summary>Off unless switched on; when on, it needs <see cref="AllowedNetworks"/> or <see cref="BearerToken"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Networks (CIDR, e.g. <c>10.20.0.0/16</c>) whose scrapers need no token: the monitoring network.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>A token a scraper sends as <c>Authorization: Bearer …</c> (secret: environment, never the repository).</summary>
    public string? BearerToken { get; set; }
}
