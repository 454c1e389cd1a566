using Microsoft.Extensions.Options;

namespace BackOffice.Application.Bridge;

/// <summary>Settings under <c>Bridge</c>: how long commands live and when a silent box counts as offline.</summary>
public sealed class BridgeTimingOptions
{
    public const string SectionName = "Bridge";

    /// <summary>An unlock command not executed within this time is never executed.</summary>
    public TimeSpan CommandLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A box with no heartbeat for this long is offline.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often expired commands are closed and offline boxes are noticed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class BridgeTimingOptionsValidator : IValidateOptions<BridgeTimingOptions>
{
    public ValidateOptionsResult Validate(string? name, BridgeTimingOptions options)
    {
        var errors = new List<string>();
        if (options.CommandLifetime < TimeSpan.FromSeconds(5) || options.CommandLifetime > TimeSpan.FromMinutes(5))
        {
            errors.Add("Bridge:CommandLifetime must be between 00:00:05 and 00:05:00.");
        }
        if (options.HeartbeatTimeout < TimeSpan.FromSeconds(5))
        {
            errors.Add("Bridge:HeartbeatTimeout must be at least 00:00:05.");
        }
        if (options.SweepInterval <= TimeSpan.Zero)
        {
            errors.Add("Bridge:SweepInterval must be positive.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
