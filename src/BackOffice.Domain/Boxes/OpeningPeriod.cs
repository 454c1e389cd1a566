namespace BackOffice.Domain.Boxes;

/// <summary>One opening period of a box on one weekday, in the box's local time, e.g. Thursday 07:30–18:00.</summary>
public sealed class OpeningPeriod
{
    public Guid Id { get; set; }

    public Guid BoxId { get; set; }

    public DayOfWeek Day { get; set; }

    public TimeOnly Opens { get; set; }

    public TimeOnly Closes { get; set; }
}
