using BackOffice.Application.Abstractions;
using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Application.Occupancy;
using BackOffice.Web.Bridge;
using BackOffice.Web.Components.Controls;
using BackOffice.Web.Components.Pages.Occupancy;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Service;

/// <summary>
/// A supervisor opens any compartment with a mandatory reason and sees what the box answered, then the door followed
/// live until it is closed again (as on the dashboard).
/// </summary>
public partial class ServiceOpen : IAsyncDisposable
{
    private IReadOnlyList<BoxSummary> _boxes = [];
    private IReadOnlyList<ServiceOpening> _recent = [];
    private Guid _boxId;
    private string _label = "";
    private string _reason = "";
    private string? _message;
    private bool _opened;
    private bool _busy;
    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();
    private LiveView<BoxSnapshot>? _doorFeed;
    private OpeningWatch? _watch;
    private CompartmentCell? _lastSeen;

    [Inject]
    private IBoxMonitor Monitor { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private ServiceOpenings ServiceOpenings { get; set; } = default!;

    [Inject]
    private CompartmentOpenings Openings { get; set; } = default!;

    [Inject]
    private OpeningFeedback Feedback { get; set; } = default!;

    [Inject]
    private IStaffNames StaffNames { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _boxes = await Boxes.ListAsync();
        _boxId = _boxes.FirstOrDefault()?.Id ?? Guid.Empty;
        _names = await StaffNames.DisplayNamesAsync();
        _recent = await ServiceOpenings.RecentAsync();
    }

    private async Task OpenAsync()
    {
        _busy = true;
        _opened = false;
        try
        {
            var box = _boxes.FirstOrDefault(b => b.Id == _boxId);
            var label = _label.Trim();
            if (string.IsNullOrWhiteSpace(_reason))
            {
                _message = Localizer.Refusal(new Refusal(RefusalCode.ReasonRequired));
                return;
            }
            if (box is null || await ServiceOpenings.FindCompartmentAsync(box.Id, label) is not { } compartmentId)
            {
                _message = Localizer["Service.UnknownCompartment", label, box?.Code ?? "–"];
                return;
            }
            // Following the door starts before the unlock is sent: the door may open and close before the answer is read.
            await FollowDoorAsync(box.Id, compartmentId, label);
            var result = await Openings.ServiceOpenAsync(compartmentId, _reason, await AuthenticationState.ActorAsync(), sent: () =>
            {
                _message = Feedback.Sent(label);
                StateHasChanged();
            });
            _opened = result.Opened;
            _watch!.Answered(result.Opened, null, _lastSeen);
            _message = _watch.Stage == OpeningStage.Closed ? Localizer["Occupancy.ClosedAgain", label] : Feedback.Outcome(result);
            if (!result.Opened)
            {
                await StopFollowingAsync();
            }
            if (result.Refusal is not null)
            {
                return;
            }
            _reason = "";
            _recent = await ServiceOpenings.RecentAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task FollowDoorAsync(Guid boxId, Guid compartmentId, string label)
    {
        await StopFollowingAsync();
        // The box live from one call: its cells now and each later snapshot.
        if (await Monitor.WatchBoxAsync(boxId) is not { } feed)
        {
            return;
        }
        _lastSeen = feed.Current.Find(compartmentId);
        var watch = new OpeningWatch(compartmentId, label, retrieval: false, _lastSeen?.DoorSince);
        _watch = watch;
        _doorFeed = LiveView<BoxSnapshot>.Start(feed, snapshot => InvokeAsync(() =>
        {
            if (snapshot.Find(compartmentId) is not { } cell || ReferenceEquals(cell, _lastSeen))
            {
                return;
            }
            _lastSeen = cell;
            if (watch.See(cell) && ReferenceEquals(_watch, watch))
            {
                _message = Localizer["Occupancy.ClosedAgain", label];
                // The feed stays until the next opening or the page closes: disposing it here would wait for itself.
                StateHasChanged();
            }
        }));
    }

    private async Task StopFollowingAsync()
    {
        if (_doorFeed is { } feed)
        {
            _doorFeed = null;
            await feed.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopFollowingAsync();
        GC.SuppressFinalize(this);
    }
}
