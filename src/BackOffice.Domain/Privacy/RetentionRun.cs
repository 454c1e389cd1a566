namespace BackOffice.Domain.Privacy;

/// <summary>One run of the retention job: when, by whom (the schedule or an admin), up to which cutoff, how many erased.</summary>
public sealed class RetentionRun
{
    public Guid Id { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>"system" for the schedule, "staff:&lt;user&gt;" when an admin started it.</summary>
    public string StartedBy { get; set; } = "";

    /// <summary>Documents handed over or returned to the counter before this instant had their personal data erased.</summary>
    public DateTimeOffset Cutoff { get; set; }

    public int DocumentsErased { get; set; }

    public int MessagesErased { get; set; }
}
