using BackOffice.Application.Common;
using BackOffice.Application.DestructionBin;
using BackOffice.Domain.Pickup;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Radzen;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Bin;

/// <summary>
/// The old-ID bins: fill level and deposits per box, the four-eyes record of an emptying (the second person confirms
/// with their password), and the reconciliation of deposits with pickups, each open line marked once followed up.
/// </summary>
public partial class OldDocumentBinPage
{
    private IReadOnlyList<BinStatus>? _status;
    private EmptyingForm? _form;
    private string? _error;
    private bool _busy;
    private Guid _reconcileBox;
    private DateOnly _from;
    private DateOnly _to;
    private BinReconciliation? _reconciliation;

    [Inject]
    private OldDocumentBin Bin { get; set; } = default!;

    [Inject]
    private OfficeClock Clock { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _to = Clock.Today;
        _from = _to.AddDays(-30);
        await LoadAsync();
        _reconcileBox = _status?.FirstOrDefault()?.BoxId ?? Guid.Empty;
    }

    private async Task LoadAsync() => _status = await Bin.StatusAsync();

    private void Begin(BinStatus box)
    {
        _error = null;
        _form = new EmptyingForm { BoxId = box.BoxId, BoxCode = box.BoxCode, Reported = box.DepositsSinceEmptying, Counted = box.DepositsSinceEmptying };
    }

    private async Task RecordAsync()
    {
        if (_form is null)
        {
            return;
        }
        _busy = true;
        try
        {
            var userName = (await AuthenticationState).User.Identity?.Name ?? "";
            var refusal = await Bin.RecordEmptyingAsync(new BinEmptyingInput(_form.BoxId, _form.Counted, _form.Note, _form.Witness, _form.Password), userName);
            _error = refusal is null ? null : Localizer.Refusal(refusal);
            // The password never stays in the page's memory longer than the attempt.
            _form.Password = "";
            if (_error is null)
            {
                Notifications.Notify(NotificationSeverity.Success, Localizer["Bin.Recorded", _form.BoxCode]);
                _form = null;
                await LoadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ReconcileAsync()
    {
        var from = OfficeClock.StartOfDay(_from);
        var to = OfficeClock.StartOfDay(_to.AddDays(1));
        _reconciliation = _reconcileBox == Guid.Empty || to <= from ? null : await Bin.ReconcileAsync(_reconcileBox, from, to);
    }

    /// <summary>A person looked into a line of the reconciliation: the note says what they found (audited).</summary>
    private async Task MarkAsync(BinFollowUpKind kind, Guid reference)
    {
        if (await Dialogs.AskReasonAsync(Localizer["Bin.FollowUp"], Localizer["Bin.FollowUpText"], maxLength: BinFollowUp.NoteMaxLength)
            is not { } note)
        {
            return;
        }
        var refusal = await Bin.MarkFollowedUpAsync(_reconcileBox, kind, reference, note, await AuthenticationState.ActorAsync());
        Notifications.Notify(refusal is null ? NotificationSeverity.Success : NotificationSeverity.Error,
            refusal is null ? Localizer["Common.Saved"] : Localizer.Refusal(refusal));
        await ReconcileAsync();
    }

    private sealed class EmptyingForm
    {
        public Guid BoxId { get; set; }

        public string BoxCode { get; set; } = "";

        public int Reported { get; set; }

        public int Counted { get; set; }

        public string? Note { get; set; }

        public string Witness { get; set; } = "";

        public string Password { get; set; } = "";
    }
}
