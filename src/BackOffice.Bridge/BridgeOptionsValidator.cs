using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>Checks the configuration at start, with messages that say which setting to fix.</summary>
internal sealed class BridgeOptionsValidator : IValidateOptions<BridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgeOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServerUrl))
        {
            failures.Add("Bridge:ServerUrl is missing: set it to the back office address, e.g. https://backoffice.example (environment variable Bridge__ServerUrl).");
        }
        else
        {
            try
            {
                HubAddress.FromServerUrl(options.ServerUrl);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"Bridge:ServerUrl is invalid: {ex.Message}");
            }
        }
        if (string.IsNullOrWhiteSpace(options.BoxKey))
        {
            failures.Add("Bridge:BoxKey is missing: set it to the key the back office showed when the box's bridge key was issued (environment variable Bridge__BoxKey).");
        }
        if (string.IsNullOrWhiteSpace(options.QueuePath))
        {
            failures.Add("Bridge:QueuePath is missing: set it to a file path for the local journal.");
        }
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add("Bridge:HeartbeatInterval must be positive.");
        }
        if (options.ReconnectDelays is null || options.ReconnectDelays.Any(d => d < TimeSpan.Zero))
        {
            failures.Add("Bridge:ReconnectDelays must not be negative.");
        }
        if (options.RetryDelays is null || options.RetryDelays.Any(d => d < TimeSpan.Zero))
        {
            failures.Add("Bridge:RetryDelays must not be negative.");
        }
        if (string.IsNullOrWhiteSpace(options.SoftwareVersion))
        {
            failures.Add("Bridge:SoftwareVersion must not be empty.");
        }
        if (string.Equals(options.LockDriver, BridgeOptions.ModbusDriver, StringComparison.Ordinal))
        {
            (options.Modbus ?? new()).Validate(failures);
        }
        else if (!string.Equals(options.LockDriver, BridgeOptions.SimulatorDriver, StringComparison.Ordinal))
        {
            failures.Add(string.IsNullOrWhiteSpace(options.LockDriver)
                ? $"Bridge:LockDriver is missing: '{BridgeOptions.ModbusDriver}' for a box built from Modbus I/O modules, '{BridgeOptions.SimulatorDriver}' for development (no real door opens)."
                : $"Bridge:LockDriver '{options.LockDriver}' is not available: use '{BridgeOptions.ModbusDriver}' or '{BridgeOptions.SimulatorDriver}'.");
        }
        if (!string.IsNullOrWhiteSpace(options.Panel?.Url) && !PanelOptions.IsLoopbackHttp(options.Panel.Url))
        {
            failures.Add($"Bridge:Panel:Url '{options.Panel.Url}' is not allowed: the panel simulator listens only on loopback over http, e.g. http://127.0.0.1:5090.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
