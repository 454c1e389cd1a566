using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace BackOffice.Bridge;

/// <summary>
/// Refuses to start with an OTLP endpoint that is no absolute http(s) address, an unknown protocol, or an export without
/// a box code (or one that is not a box code: it goes into every export, so nothing else may ride along).
/// </summary>
internal sealed partial class BridgeTelemetryOptionsValidator : IValidateOptions<BridgeTelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgeTelemetryOptions options)
    {
        var failures = new List<string>();
        var exporting = !string.IsNullOrWhiteSpace(options.OtlpEndpoint);
        if (exporting && EndpointOf(options) is null)
        {
            failures.Add($"Telemetry:OtlpEndpoint '{options.OtlpEndpoint}' must be an absolute http:// or https:// address (e.g. http://otel-collector:4318).");
        }
        if (ProtocolOf(options) is null)
        {
            failures.Add($"Telemetry:OtlpProtocol must be {BridgeTelemetryOptions.HttpProtobuf} or {BridgeTelemetryOptions.Grpc}.");
        }
        if (exporting && string.IsNullOrWhiteSpace(options.BoxCode))
        {
            failures.Add("Telemetry:BoxCode is missing: with Telemetry:OtlpEndpoint set, name the box as the back office shows it (e.g. DLZ-1), so its spans can be told apart.");
        }
        else if (!string.IsNullOrWhiteSpace(options.BoxCode) && !BoxCode().IsMatch(options.BoxCode))
        {
            failures.Add($"Telemetry:BoxCode '{options.BoxCode}' is not a box code: capital letters, digits and '-', 2 to 20 characters (e.g. DLZ-1).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static Uri? EndpointOf(BridgeTelemetryOptions options) =>
        Uri.TryCreate(options.OtlpEndpoint?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    public static OtlpExportProtocol? ProtocolOf(BridgeTelemetryOptions options) => options.OtlpProtocol switch
    {
        BridgeTelemetryOptions.HttpProtobuf => OtlpExportProtocol.HttpProtobuf,
        BridgeTelemetryOptions.Grpc => OtlpExportProtocol.Grpc,
        _ => null,
    };

    // The back office's own rule for box codes (BoxAdministration).
    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{1,19}$")]
    private static partial Regex BoxCode();
}
