using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Privacy;

/// <summary>How the Datenschutz page words its settings.</summary>
public static class PrivacyTexts
{
    /// <summary>A repeat interval in words ("alle 6 Stunden"), so it does not read as a clock time (issue 13: "alle 06:00").</summary>
    public static string Interval(IStringLocalizer localizer, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        if (interval.TotalDays >= 1 && interval.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return interval.TotalDays == 1 ? localizer["Privacy.EveryDay"] : localizer["Privacy.EveryDays", (int)interval.TotalDays];
        }
        if (interval.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return interval.TotalHours == 1 ? localizer["Privacy.EveryHour"] : localizer["Privacy.EveryHours", (int)interval.TotalHours];
        }
        return localizer["Privacy.EveryMinutes", (int)Math.Round(interval.TotalMinutes)];
    }
}
