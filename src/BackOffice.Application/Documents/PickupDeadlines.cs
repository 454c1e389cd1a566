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

    /// <summary>Midnight at the start of <paramref name="day"/> at the box, as a UTC instant (a bound for queries).</summary>
    public static DateTimeOffset StartOf(DateOnly day, string timeZoneId)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId).GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The box's calendar date at <paramref name="instant"/>.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, string timeZoneId) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId)).DateTime);
}
