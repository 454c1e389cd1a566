using BackOffice.Application.Occupancy;
using BackOffice.Web.Components.Controls;
using Microsoft.AspNetCore.Components;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>Every box at a glance, live: connection, occupancy, due and overdue documents, bin, faults.</summary>
public partial class OccupancyOverview : IAsyncDisposable
{
    private IReadOnlyList<BoxOccupancy>? _boxes;
    private LiveView<IReadOnlyList<BoxOccupancy>>? _feed;

    [Inject]
    private IBoxMonitor Monitor { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var feed = await Monitor.WatchOverviewAsync();
        _boxes = feed.Current;
        _feed = LiveView<IReadOnlyList<BoxOccupancy>>.Start(feed, boxes => InvokeAsync(() =>
        {
            var previous = _boxes;
            _boxes = boxes;
            // Every box's heartbeat makes a new overview; within the minute the cards show nothing new.
            if (previous is null || previous.Count != boxes.Count || !previous.Zip(boxes).All(p => BoxSummaryCard.ShowsTheSame(p.First, p.Second)))
            {
                StateHasChanged();
            }
        }));
    }

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }
    }
}
