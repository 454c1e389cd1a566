using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Application.Reports;
using BackOffice.Application.DestructionBin;
using BackOffice.Domain.Pickup;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Components.Controls;
using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Bin;

/// <summary>
/// The old-ID bins: fill level and deposits per box, the four-eyes record of an emptying (the second person confirms
/// with their password, or by a fresh directory sign-in), and the reconciliation of deposits with pickups, each open line marked once followed up.
/// </summary>
public partial class OldDocumentBinPage
{
    private IReadOnlyList<BinStatus>? _status;
    private EmptyingForm? _form;
    private string? _error;
    private bool _busy;
    private Guid _reconcileBox;
    private DateTime? _from;
    private DateTime? _to;
    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();
    private BinReconciliation? _reconciliation;

    // In the directory modes the second person signs in fresh instead of typing a password (WitnessSignIn).
    private WitnessSignIn? _witnessSignIn;

    [Inject]
    private OldDocumentBin Bin { get; set; } = default!;

    [Inject]
    private OfficeClock Clock { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStaffNames StaffNames { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [Inject]
    private IOptions<StaffAuthenticationOptions> SignInOptions { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private bool DirectoryMode => SignInOptions.Value.IsDirectory;

    protected override async Task OnInitializedAsync()
    {
        var today = Clock.Today;
        _to = today.ToDateTime(TimeOnly.MinValue);
        _from = today.AddDays(-30).ToDateTime(TimeOnly.MinValue);
        _names = await StaffNames.DisplayNamesAsync();
        await LoadAsync();
        _reconcileBox = _status?.FirstOrDefault()?.BoxId ?? Guid.Empty;
    }

    private async Task LoadAsync() => _status = await Bin.StatusAsync();

    private void Begin(BinStatus box)
    {
        _error = null;
        // The count stays empty: prefilled with the box's own count, it would be confirmed instead of counted.
        _form = new EmptyingForm { BoxId = box.BoxId, BoxCode = box.BoxCode, Reported = box.DepositsSinceEmptying };
    }

    private async Task RecordAsync()
    {
        if (_form is null)
        {
            return;
        }
        if (_form.Counted is not { } counted)
        {
            _error = Localizer["Bin.CountMissing"];
            return;
        }
        _busy = true;
        try
        {
            var userName = (await AuthenticationState).User.Identity?.Name ?? "";
            WitnessProof witness = DirectoryMode && _witnessSignIn is not null ? _witnessSignIn.Proof : new WitnessPassword(_form.Witness, _form.Password);
            var refusal = await Bin.RecordEmptyingAsync(new BinEmptyingInput(_form.BoxId, counted, _form.Note, witness), userName);
            // A fresh sign-in counts once, used or refused: the status beside the button goes.
            _witnessSignIn?.Refresh();
            _error = refusal is null ? null : Localizer.Refusal(refusal);
            // The password never stays in the page's memory longer than the attempt.
            _form.Password = "";
            if (_error is null)
            {
                Notifier.Success(Localizer["Bin.Recorded", _form.BoxCode]);
                _form = null;
                // A directory user who confirmed for the first time got their staff record just now: name them too.
                _names = await StaffNames.DisplayNamesAsync();
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
        if (_from is not { } fromDay || _to is not { } toDay)
        {
            _reconciliation = null;
            return;
        }
        var from = OfficeClock.StartOfDay(DateOnly.FromDateTime(fromDay));
        var to = OfficeClock.StartOfDay(DateOnly.FromDateTime(toDay).AddDays(1));
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
        Notifier.Result(refusal is null ? null : Localizer.Refusal(refusal), Localizer["Common.Saved"]);
        await ReconcileAsync();
    }

    /// <summary>
    /// A person by name, as the destruction protocol prints them (emptyings record bare user names); joined by no-break
    /// spaces, so the narrow card wraps between the two people, not inside a name.
    /// </summary>
    private string StaffName(string userName) => ReportNames.Actor(AuditTrail.Staff(userName), _names).Replace(' ', '\u00A0');

    private sealed class EmptyingForm
    {
        public Guid BoxId { get; set; }

        public string BoxCode { get; set; } = "";

        public int Reported { get; set; }

        public int? Counted { get; set; }

        public string? Note { get; set; }

        public string Witness { get; set; } = "";

        public string Password { get; set; } = "";
    }
}
