using BackOffice.Application.Abstractions;
using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Web.Bridge;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Service;

/// <summary>A supervisor opens any compartment with a mandatory reason and sees what the box answered.</summary>
public partial class ServiceOpen
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
            var result = await Openings.ServiceOpenAsync(compartmentId, _reason, await AuthenticationState.ActorAsync(), sent: () =>
            {
                _message = Feedback.Sent(label);
                StateHasChanged();
            });
            _opened = result.Opened;
            _message = Feedback.Outcome(result);
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
}
