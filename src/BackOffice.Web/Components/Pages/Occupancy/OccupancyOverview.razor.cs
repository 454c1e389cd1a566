using BackOffice.Application.Occupancy;
using Microsoft.AspNetCore.Components;

namespace BackOffice.Web.Components.Pages.Occupancy;

/// <summary>Every box at a glance, live: connection, occupancy, due and overdue documents, bin, faults.</summary>
public partial class OccupancyOverview : IAsyncDisposable
{
    private List<BoxOccupancy>? _boxes;
    private OccupancyFeed? _feed;

    [Inject]
    private IBoxMonitor Monitor { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var subscription = Monitor.Subscribe(boxId: null);
        _feed = OccupancyFeed.Start(subscription, (updates, resync) => InvokeAsync(async () =>
        {
            if (resync)
            {
                _boxes = [.. await Monitor.OverviewAsync()];
            }
            foreach (var update in updates)
            {
                var index = _boxes?.FindIndex(b => b.BoxId == update.Box.BoxId) ?? -1;
                if (index >= 0)
                {
                    _boxes![index] = update.Box;
                }
            }
            StateHasChanged();
        }));
        _boxes = [.. await Monitor.OverviewAsync()];
    }

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
        {
            await _feed.DisposeAsync();
        }
    }
}
