using Microsoft.Extensions.Options;

namespace BackOffice.Application.Operations;

/// <summary>Where and how handover events go to the registration software (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>The receiver's URL (https in production). Empty: no events are recorded or sent.</summary>
    public string Url { get; set; } = "";

    /// <summary>The shared secret of the HMAC-SHA256 signature (at least 32 characters). A secret: from the environment.</summary>
    public string Secret { get; set; } = "";

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the dispatcher looks for due events besides being woken by a new one.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    public int BatchSize { get; set; } = 20;

    /// <summary>The pause after the first failed attempt; doubled per further failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest pause between attempts: after an outage the receiver gets its events within this time.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a claimed event is reserved for one dispatcher (longer than <see cref="Timeout"/>).</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);
}

internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled)
        {
            if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                failures.Add("Webhooks:Url must be an absolute http(s) URL.");
            }
            if (options.Secret.Length < 32)
            {
                failures.Add("Webhooks:Secret must be set to at least 32 characters (from the environment, Webhooks__Secret) when Webhooks:Url is set.");
            }
        }
        if (options.Timeout <= TimeSpan.Zero || options.ClaimTimeout <= options.Timeout)
        {
            failures.Add("Webhooks:Timeout must be positive and Webhooks:ClaimTimeout longer than it.");
        }
        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.BatchSize is < 1 or > 500)
        {
            failures.Add("Webhooks:PollInterval must be at least 00:00:01 and Webhooks:BatchSize between 1 and 500.");
        }
        if (options.FirstRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.FirstRetryDelay)
        {
            failures.Add("Webhooks:FirstRetryDelay must be positive and Webhooks:MaxRetryDelay at least as long.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
