using BackOffice.Application.Forecast;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Controls;

/// <summary>
/// "Fächer der Größe M voraussichtlich ab Do, 10.12. belegt" on a box's dashboard, with a link to the forecast page for
/// those who may open it.
/// </summary>
/// <remarks>
/// Built for many open dashboards: the forecast comes from the shared cache (<see cref="ICapacityForecasts.SharedForBoxAsync"/>,
/// one computation per box and refresh interval for every circuit), read again once per interval on a timer; the
/// component renders only when the warning's text changed, and the dashboard's own renders pass it by (its parameters
/// are a box id and a code).
/// </remarks>
public sealed partial class CapacityWarning : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<string> _lines = [];
    private bool _changed;
    private Guid _box;
    private ITimer? _timer;

    [Parameter, EditorRequired]
    public Guid BoxId { get; set; }

    [Parameter, EditorRequired]
    public string BoxCode { get; set; } = "";

    [Inject]
    private ICapacityForecasts Forecasts { get; set; } = default!;

    [Inject]
    private TimeProvider TimeProvider { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [Inject]
    private ILogger<CapacityWarning> Logger { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        if (BoxId == _box)
        {
            return;
        }
        _box = BoxId;
        _timer ??= TimeProvider.CreateTimer(_ => _ = InvokeAsync(RefreshAsync), null, Forecasts.RefreshInterval, Forecasts.RefreshInterval);
        await RefreshAsync();
    }

    protected override bool ShouldRender()
    {
        var render = _changed;
        _changed = false;
        return render;
    }

    private async Task RefreshAsync()
    {
        IReadOnlyList<string> lines;
        try
        {
            var forecast = await Forecasts.SharedForBoxAsync(_box, _stop.Token);
            lines = forecast is null ? [] : forecast.RunningOut.Select(size => CapacityTexts.Warning(size, Localizer)).ToList();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The warning is an addition to the dashboard: without a forecast the page goes on, and the next tick tries again.
            LogForecastFailed(Logger, ex, _box);
            return;
        }
        if (!lines.SequenceEqual(_lines, StringComparer.Ordinal))
        {
            _lines = lines;
            _changed = true;
            StateHasChanged();
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _stop.Cancel();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The capacity forecast of box {BoxId} could not be computed for the dashboard.")]
    private static partial void LogForecastFailed(ILogger logger, Exception exception, Guid boxId);
}
