namespace BackOffice.Application.Common;

/// <summary>
/// Turns instants (always stored in UTC) into the office's local time for display.
/// </summary>
/// <remarks>Singleton; thread-safe. Every clock read goes through the injected <see cref="TimeProvider"/> so tests can move time.</remarks>
public sealed class OfficeClock(TimeProvider timeProvider)
{
    /// <summary>The passport offices are in Germany; every date a person reads is Europe/Berlin.</summary>
    public static TimeZoneInfo OfficeTimeZone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();

    public DateTimeOffset Now => ToOfficeTime(timeProvider.GetUtcNow());

    /// <summary>The office's calendar date now.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now.DateTime);

    public static DateTimeOffset ToOfficeTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, OfficeTimeZone);

    /// <summary>Midnight at the start of <paramref name="day"/> in the office, as a UTC instant (a period's bound for queries).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, OfficeTimeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>German date and time as printed everywhere in the product: dd.MM.yyyy HH:mm.</summary>
    public static string Format(DateTimeOffset instant) =>
        ToOfficeTime(instant).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.GetCultureInfo("de-DE"));
}
