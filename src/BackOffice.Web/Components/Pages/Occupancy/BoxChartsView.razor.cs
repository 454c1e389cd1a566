using System.Globalization;
using BackOffice.Application.Occupancy;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>The charts of <see cref="BoxStatistics"/>, on MudBlazor's charts.</summary>
public partial class BoxChartsView
{
    private List<ChartSeries<double>> _occupancy = [];
    private List<ChartSeries<double>> _perDay = [];
    private List<ChartSeries<double>> _perHour = [];
    private string[] _dayLabels = [];
    private string[] _hourLabels = [];
    private LineChartOptions _percentOptions = new();
    private BarChartOptions _perDayOptions = new();
    private BarChartOptions _perHourOptions = new();

    [Parameter, EditorRequired]
    public BoxStatistics Statistics { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    private int TodayPickups => Statistics.PickupsPerDay.Count == 0 ? 0 : (int)Statistics.PickupsPerDay[^1].Value;

    /// <summary>Minutes under an hour, hours under two days, days beyond.</summary>
    private string AverageText => Statistics.AverageLoadToPickup is { } average ? Duration(average, Localizer) : "–";

    internal static string Duration(TimeSpan average, IStringLocalizer localizer)
    {
        if (average.TotalHours < 1)
        {
            var minutes = Math.Max(1, (int)Math.Round(average.TotalMinutes, MidpointRounding.AwayFromZero));
            return minutes == 1 ? localizer["Charts.Minute"] : localizer["Charts.Minutes", minutes];
        }
        return average.TotalHours < 48
            ? localizer["Charts.Hours", Math.Round(average.TotalHours, 1)]
            : localizer["Charts.Days", Math.Round(average.TotalDays, 1)];
    }

    /// <summary>
    /// The step of a count axis: a whole number, about five lines however large the counts (a chart of 0 to 2 pickups
    /// must not show 0.5 steps).
    /// </summary>
    internal static int CountStep(double max)
    {
        var step = (int)Math.Ceiling(max / 5);
        return Math.Max(1, step);
    }

    protected override void OnParametersSet()
    {
        // Every fifth day is labelled from the first: 30 labels side by side would overlap, and a label on the very
        // last day is cut by the chart's right edge. The figures per day are in the screen-reader text below.
        _dayLabels = Statistics.OccupancyPercent
            .Select((d, i) => i % 5 == 0 ? d.Day.ToString("dd.MM.", CultureInfo.InvariantCulture) : "")
            .ToArray();
        _hourLabels = Enumerable.Range(0, Statistics.PickupsPerHour.Count).Select(h => h % 3 == 0 ? h.ToString("00", CultureInfo.InvariantCulture) : "").ToArray();
        _occupancy = [new() { Name = Localizer["Charts.OccupancyPercent"], Data = new ChartData<double>(Statistics.OccupancyPercent.Select(d => d.Value).ToArray()) }];
        _perDay = [new() { Name = Localizer["Charts.Pickups"], Data = new ChartData<double>(Statistics.PickupsPerDay.Select(d => d.Value).ToArray()) }];
        _perHour = [new() { Name = Localizer["Charts.Pickups"], Data = new ChartData<double>(Statistics.PickupsPerHour.Select(c => (double)c).ToArray()) }];
        _percentOptions = new LineChartOptions { YAxisTicks = 20, YAxisSuggestedMax = 100, YAxisFormat = "0", ShowLegend = false };
        _perDayOptions = CountOptions(Statistics.PickupsPerDay.Select(d => d.Value).DefaultIfEmpty(0).Max());
        _perHourOptions = CountOptions(Statistics.PickupsPerHour.DefaultIfEmpty(0).Max());
    }

    // An axis up to at least 5, so a quiet month still shows a scale rather than a lone 0.
    private static BarChartOptions CountOptions(double max) =>
        new() { YAxisTicks = CountStep(max), YAxisSuggestedMax = Math.Max(5, max), YAxisFormat = "0", ShowLegend = false };

    private static string Describe(IReadOnlyList<DayValue> values, string format) =>
        string.Join(", ", values.Select(v => $"{v.Day:dd.MM.}: {v.Value.ToString(format, CultureInfo.CurrentCulture)}"));
}
