namespace BackOffice.Domain.Boxes;

/// <summary>One opening period of a box on one weekday, in the box's local time, e.g. Thursday 07:30–18:00.</summary>
public sealed class OpeningPeriod
{
    public Guid Id { get; set; }

    public Guid BoxId { get; set; }

    public DayOfWeek Day { get; set; }

    public TimeOnly Opens { get; set; }

    public TimeOnly Closes { get; set; }

    /// <summary>Position in the week as the office reads it (Monday 0 … Sunday 6); <see cref="DayOfWeek"/> starts on Sunday.</summary>
    public static int WeekPosition(DayOfWeek day) => ((int)day + 6) % 7;

    /// <summary>Periods Monday to Sunday, each day's by opening time: the order people expect, whatever order they were stored in.</summary>
    public static IEnumerable<OpeningPeriod> InWeekOrder(IEnumerable<OpeningPeriod> periods) =>
        periods.OrderBy(p => WeekPosition(p.Day)).ThenBy(p => p.Opens);
}
