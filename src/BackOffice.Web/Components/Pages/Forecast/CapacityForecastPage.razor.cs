using System.Globalization;
using BackOffice.Application.Forecast;
using BackOffice.Web.Components.Pages.Occupancy;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Forecast;

/// <summary>
/// Kapazitätsprognose: free compartments of each size of one box for the next 14 days, as a line chart and the same
/// numbers as a table, with the basis they were computed on (docs/capacity-forecast.md).
/// </summary>
/// <remarks>Reads the shared forecast (one computation per box and refresh interval for every page and dashboard).</remarks>
public partial class CapacityForecastPage
{
    private IReadOnlyList<ForecastBox>? _boxes;
    private ForecastBox? _box;
    private CapacityForecast? _forecast;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];
    private LineChartOptions _options = new();

    [Parameter]
    public string? Code { get; set; }

    [Inject]
    private ICapacityForecasts Forecasts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _boxes ??= await Forecasts.BoxesAsync();
        _box = Code is null ? _boxes.FirstOrDefault()
            : _boxes.FirstOrDefault(b => string.Equals(b.Code, Code, StringComparison.OrdinalIgnoreCase));
        _forecast = null;
        if (_box is null)
        {
            return;
        }
        _forecast = await Forecasts.SharedForBoxAsync(_box.Id);
        if (_forecast is null)
        {
            return;
        }
        // Every second day is labelled: fourteen labels side by side overlap at 1366 px; the table has every day.
        _labels = _forecast.Days.Select((d, i) => i % 2 == 0 ? d.ToString("dd.MM.", CultureInfo.InvariantCulture) : "").ToArray();
        _series = _forecast.Sizes
            .Select(s => new ChartSeries<double> { Name = Localizer["Forecast.SizeColumn", s.Size], Data = new ChartData<double>(s.FreePerDay.Select(f => (double)f).ToArray()) })
            .ToList();
        var max = _forecast.Sizes.SelectMany(s => s.FreePerDay).DefaultIfEmpty(0).Max();
        _options = new LineChartOptions { YAxisTicks = BoxChartsView.CountStep(max), YAxisSuggestedMax = Math.Max(5, max), YAxisFormat = "0", ShowLegend = true, YAxisRequireZeroPoint = true };
    }

    private void BoxChanged(string? code)
    {
        if (!string.IsNullOrEmpty(code))
        {
            Navigation.NavigateTo($"kapazitaet/{Uri.EscapeDataString(code)}");
        }
    }

    private string ChartsDuration(TimeSpan duration) => BoxChartsView.Duration(duration, Localizer);

    private string SourceText(SizeForecast size) => size.Source switch
    {
        ForecastSource.SizeHistory => Localizer["Forecast.Source.SizeHistory", size.Samples, Forecasts.HistoryDays],
        ForecastSource.BoxHistory => Localizer["Forecast.Source.BoxHistory", size.Samples, Forecasts.HistoryDays],
        _ => Localizer["Forecast.Source.Default"],
    };
}
