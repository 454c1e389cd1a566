using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Messaging;

public enum SmsSenderKind
{
    /// <summary>Keeps messages in memory and shows them on the SMS page; never reaches a phone. Development only.</summary>
    Development,

    /// <summary>Sends through the provider's HTTP API (<c>Sms:Gateway</c>).</summary>
    HttpGateway,
}

/// <summary>Settings under <c>Sms</c>: which sender, how often the outbox is polled, how long failures are retried.</summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    public SmsSenderKind Sender { get; set; } = SmsSenderKind.HttpGateway;

    /// <summary>How often the dispatcher looks for due messages when nobody woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts (the first one included) before a message that keeps failing temporarily is given up.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Messages claimed per database round.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How long a claimed message stays reserved for the instance that claimed it. Must exceed the longest send
    /// (gateway timeout); after it, another instance may send the message again (it died, or it hangs).
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Waits after the 1st, 2nd, … temporary failure; the last one repeats.</summary>
    public static IReadOnlyList<TimeSpan> RetryDelays { get; } =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
    ];

    public static TimeSpan RetryDelay(int failedAttempts) => RetryDelays[Math.Clamp(failedAttempts - 1, 0, RetryDelays.Count - 1)];
}

internal sealed class SmsOptionsValidator(IHostEnvironment environment) : IValidateOptions<SmsOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Sender))
        {
            errors.Add("Sms:Sender must be Development or HttpGateway.");
        }
        if (options.Sender == SmsSenderKind.Development && !environment.IsDevelopment())
        {
            errors.Add(
                $"Sms:Sender=Development keeps SMS in memory and never delivers them to citizens; it is allowed only in the " +
                $"Development environment, not in {environment.EnvironmentName}. Set Sms:Sender=HttpGateway and configure Sms:Gateway.");
        }
        if (options.PollInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add("Sms:PollInterval must be at least 00:00:00.1.");
        }
        if (options.MaxAttempts is < 1 or > 50)
        {
            errors.Add("Sms:MaxAttempts must be between 1 and 50.");
        }
        if (options.BatchSize is < 1 or > 1000)
        {
            errors.Add("Sms:BatchSize must be between 1 and 1000.");
        }
        if (options.ClaimTimeout < TimeSpan.FromSeconds(30))
        {
            errors.Add("Sms:ClaimTimeout must be at least 00:00:30.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
