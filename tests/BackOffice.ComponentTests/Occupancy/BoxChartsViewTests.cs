using System.Globalization;
using BackOffice.Application.Occupancy;
using BackOffice.Web.Components.Pages.Occupancy;

namespace BackOffice.ComponentTests.Occupancy;

/// <summary>The dashboard's charts: minutes under an hour, whole-number count axes, today's pickups as text.</summary>
public class BoxChartsViewTests : ComponentTest
{
    [Theory]
    [InlineData(20, "20 Minuten")]
    [InlineData(0.4, "1 Minute")]
    [InlineData(59, "59 Minuten")]
    [InlineData(90, "1,5 Stunden")]
    [InlineData(60 * 72, "3 Tage")]
    public void LoadToPickup_IsInMinutesUnderAnHour(double minutes, string expected)
    {
        var charts = Render<BoxChartsView>(p => p.Add(c => c.Statistics, Statistics(TimeSpan.FromMinutes(minutes), pickupsToday: 1)));

        Assert.Equal(expected, charts.Find("[data-testid=load-to-pickup]").TextContent.Trim());
    }

    [Fact]
    public void CountAxes_StepByWholeNumbers()
    {
        var charts = Render<BoxChartsView>(p => p.Add(c => c.Statistics, Statistics(TimeSpan.FromHours(3), pickupsToday: 2)));

        foreach (var chart in new[] { "chart-pickups-per-day", "chart-pickups-per-hour" })
        {
            var labels = charts.FindAll($"[data-testid={chart}] svg text")
                .Select(t => t.TextContent.Trim())
                .Where(t => double.TryParse(t, NumberStyles.Float, CultureInfo.GetCultureInfo("de-DE"), out _))
                .ToList();
            Assert.NotEmpty(labels);
            Assert.All(labels, label => Assert.DoesNotContain(",", label, StringComparison.Ordinal));
        }
        Assert.Equal("Heute bisher: 2", charts.Find("[data-testid=pickups-today]").TextContent.Trim());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 1)]
    [InlineData(5, 1)]
    [InlineData(12, 3)]
    [InlineData(100, 20)]
    public void CountStep_IsAWholeNumber(double max, int step) => Assert.Equal(step, BoxChartsView.CountStep(max));

    private static BoxStatistics Statistics(TimeSpan average, int pickupsToday)
    {
        var today = new DateOnly(2026, 12, 2);
        var days = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).ToList();
        return new BoxStatistics(
            days.Select(d => new DayValue(d, 40)).ToList(),
            days.Select((d, i) => new DayValue(d, i == 29 ? pickupsToday : i % 2)).ToList(),
            Enumerable.Range(0, 24).Select(h => h == 10 ? 2 : h % 3 == 0 ? 1 : 0).ToList(),
            average,
            17);
    }
}
