using Microsoft.Extensions.Options;

namespace BackOffice.Application.Forecast;

/// <summary>The capacity forecast (section <c>CapacityForecast</c>; docs/capacity-forecast.md).</summary>
public sealed class CapacityForecastOptions
{
    public const string SectionName = "CapacityForecast";

    /// <summary>A box's forecast is computed at most this often; every open page shares it meanwhile.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the typical durations are taken from.</summary>
    public int HistoryDays { get; set; } = 90;

    /// <summary>Fewer pickups (or loadings) than this in the history are too few for a median of their own.</summary>
    public int MinimumSamples { get; set; } = 10;

    /// <summary>Loading to pickup assumed when even the box's whole history is too thin.</summary>
    public TimeSpan DefaultLoadToPickup { get; set; } = TimeSpan.FromDays(3);
}

public sealed class CapacityForecastOptionsValidator : IValidateOptions<CapacityForecastOptions>
{
    public ValidateOptionsResult Validate(string? name, CapacityForecastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.RefreshInterval < TimeSpan.FromSeconds(10) || options.RefreshInterval > TimeSpan.FromHours(1))
        {
            failures.Add("CapacityForecast:RefreshInterval must be between 00:00:10 and 01:00:00.");
        }
        if (options.HistoryDays is < 7 or > 730)
        {
            failures.Add("CapacityForecast:HistoryDays must be between 7 and 730.");
        }
        if (options.MinimumSamples is < 1 or > 10_000)
        {
            failures.Add("CapacityForecast:MinimumSamples must be between 1 and 10000.");
        }
        if (options.DefaultLoadToPickup <= TimeSpan.Zero || options.DefaultLoadToPickup > TimeSpan.FromDays(60))
        {
            failures.Add("CapacityForecast:DefaultLoadToPickup must be more than 0 and at most 60 days.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
