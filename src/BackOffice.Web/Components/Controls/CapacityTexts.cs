using System.Globalization;
using BackOffice.Application.Forecast;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Controls;

/// <summary>How the capacity forecast reads in German, on the dashboard's warning and on the forecast page.</summary>
internal static class CapacityTexts
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>"Do, 10.12.": a day of the next two weeks, as people say it (ICU writes "Do."; the office writes "Do").</summary>
    public static string Day(DateOnly day) =>
        $"{German.DateTimeFormat.ShortestDayNames[(int)day.DayOfWeek].TrimEnd('.')}, {day.ToString("dd.MM.", CultureInfo.InvariantCulture)}";

    /// <summary>"Fächer der Größe M voraussichtlich ab Do, 10.12. belegt".</summary>
    public static string Warning(SizeForecast size, IStringLocalizer localizer) =>
        size.RunsOutOn is { } day ? localizer["Forecast.Warning", size.Size, Day(day)] : "";
}
