using System.Net;
using BackOffice.Application.Telemetry;
using BackOffice.Web.Security;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace BackOffice.Web.Telemetry;

/// <summary>
/// Refuses to start with an OTLP endpoint that is no absolute http(s) address, an unknown protocol, a network that is not
/// CIDR, a short or development token outside Development, or a Prometheus endpoint switched on that nobody could reach.
/// </summary>
internal sealed class TelemetryOptionsValidator(IHostEnvironment environment) : IValidateOptions<TelemetryOptions>
{
    public const int MinTokenLength = 32;

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && OtlpEndpointOf(options) is null)
        {
            errors.Add("Telemetry:OtlpEndpoint must be an absolute http:// or https:// address (e.g. http://otel-collector:4318).");
        }
        if (ProtocolOf(options) is null)
        {
            errors.Add("Telemetry:OtlpProtocol must be HttpProtobuf or Grpc.");
        }
        var prometheus = options.Prometheus;
        foreach (var network in prometheus.AllowedNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            errors.Add($"Telemetry:Prometheus:AllowedNetworks holds '{network}', which is not a network in CIDR notation (e.g. 10.20.0.0/16).");
        }
        var token = prometheus.BearerToken?.Trim();
        if (!string.IsNullOrEmpty(token) && token.Length < MinTokenLength)
        {
            errors.Add($"Telemetry:Prometheus:BearerToken needs at least {MinTokenLength} characters (e.g. `openssl rand -base64 32`).");
        }
        if (!environment.IsDevelopment() && token?.Contains(DevelopmentSecretsValidator.Marker, StringComparison.OrdinalIgnoreCase) == true)
        {
            errors.Add("Telemetry:Prometheus:BearerToken is the development token from the repository; set a secret one (Telemetry__Prometheus__BearerToken).");
        }
        if (prometheus.Enabled && prometheus.AllowedNetworks.Count == 0 && string.IsNullOrEmpty(token))
        {
            errors.Add("Telemetry:Prometheus:Enabled needs AllowedNetworks or a BearerToken: the metrics endpoint is never open to everyone.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static Uri? OtlpEndpointOf(TelemetryOptions options) =>
        Uri.TryCreate(options.OtlpEndpoint?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    public static OtlpExportProtocol? ProtocolOf(TelemetryOptions options) => options.OtlpProtocol switch
    {
        "HttpProtobuf" => OtlpExportProtocol.HttpProtobuf,
        "Grpc" => OtlpExportProtocol.Grpc,
        _ => null,
    };
}
