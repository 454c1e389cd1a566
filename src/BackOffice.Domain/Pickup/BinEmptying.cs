namespace BackOffice.Domain.Pickup;

/// <summary>
/// The old-ID bin of a box was emptied and its contents handed to destruction. Two staff members count together
/// (four-eyes): the one who records it and a second who confirms with their own password. Feeds the destruction log.
/// </summary>
public sealed class BinEmptying
{
    public const int NoteMaxLength = 500;
    public const int StaffMaxLength = 256;

    public Guid Id { get; set; }

    public Guid BoxId { get; set; }

    public DateTimeOffset EmptiedAt { get; set; }

    /// <summary>How many old IDs the two counted in the bin.</summary>
    public int CountedDocuments { get; set; }

    /// <summary>How many deposits the box reported since the previous emptying.</summary>
    public int ReportedDeposits { get; set; }

    /// <summary>The deposits this emptying covers end here (received at or before), so the next one starts after it.</summary>
    public DateTimeOffset DepositsUntil { get; set; }

    /// <summary>User name of the staff member who recorded it.</summary>
    public string RecordedBy { get; set; } = "";

    /// <summary>User name of the second staff member, who confirmed with their password.</summary>
    public string WitnessedBy { get; set; } = "";

    /// <summary>Required when the count differs from the reported deposits: what the two found.</summary>
    public string? Note { get; set; }

    public int Difference => CountedDocuments - ReportedDeposits;
}
