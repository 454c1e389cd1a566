using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;
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

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private ServiceOpenings Openings { get; set; } = default!;

    [Inject]
    private BridgeCommandService Commands { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _boxes = await Boxes.ListAsync();
        _boxId = _boxes.FirstOrDefault()?.Id ?? Guid.Empty;
        _recent = await Openings.RecentAsync();
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
                _message = Localizer["Unlock.ReasonRequired"];
                return;
            }
            if (box is null || await Openings.FindCompartmentAsync(box.Id, label) is not { } compartmentId)
            {
                _message = Localizer["Service.UnknownCompartment", label, box?.Code ?? "–"];
                return;
            }
            var issue = await Openings.OpenAsync(compartmentId, _reason, await AuthenticationState.ActorAsync());
            if (!issue.Accepted)
            {
                _message = UnlockMessages.Refusal(Localizer, issue, box.Code, label);
                return;
            }
            _message = Localizer["Unlock.Sent", label];
            StateHasChanged();
            var command = await Commands.WaitForOutcomeAsync(issue.CommandId!.Value);
            _opened = command.Status == CommandStatus.Opened;
            _message = UnlockMessages.Outcome(Localizer, command);
            _reason = "";
            _recent = await Openings.RecentAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
