using System.Globalization;
using BackOffice.Application.Common;

namespace BackOffice.Application.Reports;

/// <summary>How reports print values: German dates and numbers, instants in Europe/Berlin. One place for every report and format.</summary>
public static class ReportFormatting
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>dd.MM.yyyy HH:mm in office time.</summary>
    public static string Instant(DateTimeOffset instant) => OfficeClock.Format(instant);

    public static string Instant(DateTimeOffset? instant) => instant is { } value ? Instant(value) : "–";

    public static string Date(DateOnly day) => day.ToString("dd.MM.yyyy", Culture);

    public static string Date(DateOnly? day) => day is { } value ? Date(value) : "–";

    public static string Number(long value) => value.ToString("N0", Culture);

    /// <summary>One decimal and a non-breaking space before the sign, as German style guides write it: "12,5 %".</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", Culture) + "\u00a0%";

    public static string Period(DateOnly from, DateOnly to) => from == to ? Date(from) : $"{Date(from)} – {Date(to)}";

    /// <summary>The box's calendar day at <paramref name="instant"/>.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, timeZone).DateTime);

    /// <summary>Midnight at the start of <paramref name="day"/> in <paramref name="timeZone"/>, as an instant.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo timeZone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}
