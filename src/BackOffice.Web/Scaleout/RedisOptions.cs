using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BackOffice.Web.Scaleout;

/// <summary>
/// Settings under <c>Redis</c>: needed only when two or more app instances run behind a load balancer
/// (docs/decisions/0025). Without <see cref="Configuration"/> the app is one instance, exactly as before.
/// </summary>
public sealed partial class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis.intern:6379,password=…,ssl=true</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Starts every channel and key of this deployment, so two deployments can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "backoffice";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    internal static partial Regex PrefixPattern();
}

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var errors = new List<string>();
        if (!RedisOptions.PrefixPattern().IsMatch(options.ChannelPrefix ?? ""))
        {
            errors.Add("Redis:ChannelPrefix must be 1 to 64 letters, digits, '.', '_' or '-'.");
        }
        if (options.Enabled)
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Configuration!).EndPoints.Count == 0)
                {
                    errors.Add("Redis:Configuration names no server.");
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add($"Redis:Configuration is not a valid Redis configuration: {ex.Message}");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
