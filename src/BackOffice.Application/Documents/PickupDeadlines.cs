namespace BackOffice.Application.Documents;

/// <summary>Pickup deadlines are whole days in the box's time zone.</summary>
public static class PickupDeadlines
{
    /// <summary>The last minute of <paramref name="day"/> at the box, as an instant (what the SMS shows as the date).</summary>
    public static DateTimeOffset EndOf(DateOnly day, string timeZoneId)
    {
        var local = day.ToDateTime(new TimeOnly(23, 59));
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId).GetUtcOffset(local));
    }
}
