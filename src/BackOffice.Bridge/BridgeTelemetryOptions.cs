namespace BackOffice.Bridge;

/// <summary>
/// Settings under <c>Telemetry</c>: where the bridge process sends its traces and metrics (docs/operations-telemetry.md).
/// Nothing is exported unless <see cref="OtlpEndpoint"/> is set.
/// </summary>
public sealed class BridgeTelemetryOptions
{
    public const string SectionName = "Telemetry";

    public const string HttpProtobuf = "HttpProtobuf";
    public const string Grpc = "Grpc";

    /// <summary>
    /// The OpenTelemetry collector, e.g. <c>http://otel-collector:4318</c> (OTLP/HTTP) or <c>http://otel-collector:4317</c>
    /// (gRPC). Nothing is exported when empty.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><see cref="HttpProtobuf"/> (default; <c>/v1/traces</c> and <c>/v1/metrics</c> are appended) or <see cref="Grpc"/>.</summary>
    public string OtlpProtocol { get; set; } = HttpProtobuf;

    /// <summary>
    /// The box's code as the back office shows it (e.g. <c>DLZ-1</c>), exported as the resource attribute
    /// <c>ausgabebox.box.code</c> so IT can tell the boxes' spans apart. Required with <see cref="OtlpEndpoint"/>: the
    /// bridge itself knows only its key, which is a secret.
    /// </summary>
    public string? BoxCode { get; set; }
}
