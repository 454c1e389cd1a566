namespace BackOffice.Application.Privacy;

/// <summary>Settings under <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Days after handover or return to the counter until the holder's personal data is erased.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Secret key (base64, at least 32 bytes) of the keyed hash that finds documents by mobile number without storing
    /// the number in plain text; from the environment (<c>Privacy__LookupKey</c>), never the repository. Changing it
    /// means recomputing the stored hashes.
    /// </summary>
    public string? LookupKey { get; set; }
}
