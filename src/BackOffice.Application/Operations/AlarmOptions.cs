using Microsoft.Extensions.Options;

namespace BackOffice.Application.Operations;

/// <summary>When the back office raises alarms (section <c>Alarms</c>).</summary>
public sealed class AlarmOptions
{
    public const string SectionName = "Alarms";

    /// <summary>A compartment door open longer than this many minutes raises an alarm.</summary>
    public int DoorOpenMinutes { get; set; } = 2;

    /// <summary>The old-ID bin at or above this fill level raises an alarm.</summary>
    public int BinFillPercent { get; set; } = 90;

    /// <summary>This many refused pickups at one box within <see cref="RefusalWindow"/> raise an alarm.</summary>
    public int RefusalBurstCount { get; set; } = 5;

    public TimeSpan RefusalWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the causes are evaluated.</summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Alarm e-mails (section <c>Alarms:Email</c>): SMTP with STARTTLS, one recipient per box or a default.</summary>
public sealed class AlarmMailOptions
{
    public const string SectionName = "Alarms:Email";

    /// <summary>The SMTP server; empty: no alarm e-mails.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    /// <summary>Optional sign-in at the server (after STARTTLS); the password is a secret.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    public string From { get; set; } = "";

    /// <summary>Where alarms of a box without an address of its own go; empty: only boxes listed in <see cref="Recipients"/>.</summary>
    public string DefaultRecipient { get; set; } = "";

    /// <summary>Address per box code, e.g. <c>Alarms__Email__Recipients__DLZ-1=technik@stadt.example</c>.</summary>
    public Dictionary<string, string> Recipients { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Optional SHA-256 fingerprint (hex) of the server's certificate, for an internal relay with a certificate no public
    /// authority signed: then exactly that certificate is trusted. Empty: the system's trust store decides.
    /// </summary>
    public string ServerCertificateSha256 { get; set; } = "";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxAttempts { get; set; } = 8;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The address for a box's alarms, or null when none is configured.</summary>
    public string? RecipientFor(string? boxCode) =>
        boxCode is not null && Recipients.TryGetValue(boxCode, out var address) && !string.IsNullOrWhiteSpace(address) ? address
        : string.IsNullOrWhiteSpace(DefaultRecipient) ? null : DefaultRecipient;
}

internal sealed class AlarmOptionsValidator : IValidateOptions<AlarmOptions>
{
    public ValidateOptionsResult Validate(string? name, AlarmOptions options)
    {
        var failures = new List<string>();
        if (options.DoorOpenMinutes is < 1 or > 1440)
        {
            failures.Add("Alarms:DoorOpenMinutes must be between 1 and 1440.");
        }
        if (options.BinFillPercent is < 1 or > 100)
        {
            failures.Add("Alarms:BinFillPercent must be between 1 and 100.");
        }
        if (options.RefusalBurstCount < 1 || options.RefusalWindow < TimeSpan.FromMinutes(1))
        {
            failures.Add("Alarms:RefusalBurstCount must be at least 1 and Alarms:RefusalWindow at least 00:01:00.");
        }
        if (options.EvaluationInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add("Alarms:EvaluationInterval must be at least 00:00:01.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class AlarmMailOptionsValidator : IValidateOptions<AlarmMailOptions>
{
    public ValidateOptionsResult Validate(string? name, AlarmMailOptions options)
    {
        var failures = new List<string>();
        if (options.Enabled)
        {
            if (options.Port is < 1 or > 65535)
            {
                failures.Add("Alarms:Email:Port must be a TCP port.");
            }
            if (!options.From.Contains('@', StringComparison.Ordinal))
            {
                failures.Add("Alarms:Email:From must be an e-mail address when Alarms:Email:Host is set.");
            }
            if (options.RecipientFor(null) is null && options.Recipients.Count == 0)
            {
                failures.Add("Alarms:Email needs Alarms:Email:DefaultRecipient or at least one Alarms:Email:Recipients:<box code> when Host is set.");
            }
            if (options.ServerCertificateSha256.Length is not (0 or 64) || !options.ServerCertificateSha256.All(Uri.IsHexDigit))
            {
                failures.Add("Alarms:Email:ServerCertificateSha256 must be empty or 64 hexadecimal digits.");
            }
        }
        if (options.MaxAttempts < 1 || options.FirstRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.FirstRetryDelay
            || options.PollInterval < TimeSpan.FromSeconds(1) || options.ClaimTimeout <= options.Timeout)
        {
            failures.Add("Alarms:Email: MaxAttempts ≥ 1, FirstRetryDelay > 0, MaxRetryDelay ≥ FirstRetryDelay, PollInterval ≥ 00:00:01 and ClaimTimeout > Timeout.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
