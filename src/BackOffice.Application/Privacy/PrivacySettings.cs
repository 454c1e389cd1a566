namespace BackOffice.Application.Privacy;

/// <summary>Settings under <c>Privacy</c>.</summary>
public sealed class PrivacySettings
{
    public const string SectionName = "Privacy";

    /// <summary>Days after handover or return to the counter until the holder's personal data is erased.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(6);
}
