using BackOffice.Application.Occupancy;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>
/// Loads a box's charts and loads them again when the box's counters move (a pickup, a loading), so the charts follow
/// the live summary beside them: "Abholungen heute 2" and a bar of 1 must not stand side by side.
/// </summary>
public sealed class BoxCharts : ComponentBase, IDisposable
{
    private CancellationTokenSource? _loading;
    private BoxStatistics? _statistics;
    private (Guid, int, int)? _loadedFor;

    [Parameter, EditorRequired]
    public Guid BoxId { get; set; }

    /// <summary>The live summary's pickups today: a change loads the charts again.</summary>
    [Parameter]
    public int PickupsToday { get; set; }

    /// <summary>The live summary's occupied compartments: a change loads the charts again.</summary>
    [Parameter]
    public int InUse { get; set; }

    [Inject]
    private OccupancyStatistics Statistics { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var key = (BoxId, PickupsToday, InUse);
        if (_loadedFor == key)
        {
            return;
        }
        _loadedFor = key;
        // A newer change supersedes a load still running.
        if (_loading is not null)
        {
            await _loading.CancelAsync();
            _loading.Dispose();
        }
        _loading = new CancellationTokenSource();
        try
        {
            // One load per box and state, shared by every dashboard open on it.
            _statistics = await Statistics.SharedForBoxAsync(BoxId, (PickupsToday, InUse), _loading.Token);
        }
        catch (OperationCanceledException) when (_loading?.IsCancellationRequested != false)
        {
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (_statistics is { } statistics)
        {
            builder.OpenComponent<BoxChartsView>(0);
            builder.AddComponentParameter(1, nameof(BoxChartsView.Statistics), statistics);
            builder.CloseComponent();
        }
    }

    public void Dispose()
    {
        _loading?.Cancel();
        _loading?.Dispose();
        _loading = null;
    }
}
