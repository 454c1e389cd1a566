namespace BackOffice.Application.Pickup;

/// <summary>Settings under <c>Pickup</c>.</summary>
public sealed class PickupSettings
{
    public const string SectionName = "Pickup";

    /// <summary>Refused attempts per document and per mobile number before the box stops trying until a clerk acts.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>Pickup requests one box may send per minute (a panel under attack is slowed down, not the office).</summary>
    public int MaxRequestsPerBoxPerMinute { get; set; } = 30;

    /// <summary>The reminder SMS goes out this many days before the pickup deadline.</summary>
    public int ReminderDaysBeforeDeadline { get; set; } = 2;

    /// <summary>How often the reminder job looks for documents due for a reminder.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromMinutes(15);
}
