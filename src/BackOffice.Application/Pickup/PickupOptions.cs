using BackOffice.Application.Common;
using BackOffice.Application.Messaging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Pickup;

/// <summary>Settings under <c>Pickup</c>.</summary>
public sealed class PickupOptions
{
    public const string SectionName = "Pickup";

    /// <summary>
    /// Secret key (base64, at least 32 bytes) mixed into every PIN hash, kept outside the database: required in
    /// production (environment variable <c>Pickup__PinPepper</c>). Changing it voids every PIN issued before.
    /// </summary>
    public string? PinPepper { get; set; }

    /// <summary>Refused attempts per document and per mobile number before the box stops trying until a clerk acts.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>Pickup requests one box may send per minute (a panel under attack is slowed down, not the office).</summary>
    public int MaxRequestsPerBoxPerMinute { get; set; } = 30;

    /// <summary>The reminder SMS goes out this many days before the pickup deadline.</summary>
    public int ReminderDaysBeforeDeadline { get; set; } = 2;

    /// <summary>How often the reminder job looks for documents due for a reminder.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most days a clerk may add to a ready document's pickup deadline in one extension.</summary>
    public int ExtensionDays { get; set; } = 10;

    /// <summary>How often one document's pickup deadline may be extended.</summary>
    public int MaxExtensions { get; set; } = 2;
}

internal sealed class PickupOptionsValidator : IValidateOptions<PickupOptions>
{
    public ValidateOptionsResult Validate(string? name, PickupOptions options)
    {
        var errors = new List<string>();
        if (SecretKeys.Decode(options.PinPepper) is not { Length: >= PickupPins.MinPepperBytes })
        {
            errors.Add($"Pickup:PinPepper must be set to a secret of at least {PickupPins.MinPepperBytes} random bytes in base64 " +
                "(e.g. `openssl rand -base64 32`), from the environment (Pickup__PinPepper), never from the repository.");
        }
        if (options.MaxFailedAttempts is < 1 or > 100)
        {
            errors.Add("Pickup:MaxFailedAttempts must be between 1 and 100.");
        }
        if (options.MaxRequestsPerBoxPerMinute < 1)
        {
            errors.Add("Pickup:MaxRequestsPerBoxPerMinute must be at least 1.");
        }
        if (options.ReminderDaysBeforeDeadline is < 0 or > 30)
        {
            errors.Add("Pickup:ReminderDaysBeforeDeadline must be between 0 and 30.");
        }
        if (options.ReminderInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Pickup:ReminderInterval must be at least 00:00:01.");
        }
        if (options.ExtensionDays is < 1 or > 60)
        {
            errors.Add("Pickup:ExtensionDays must be between 1 and 60.");
        }
        if (options.MaxExtensions is < 0 or > 10)
        {
            errors.Add("Pickup:MaxExtensions must be between 0 and 10 (0: no extensions).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
