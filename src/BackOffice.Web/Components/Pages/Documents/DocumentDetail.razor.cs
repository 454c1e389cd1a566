using BackOffice.Application.Abstractions;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Pickup;
using BackOffice.Domain.Documents;
using BackOffice.Web.Bridge;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>One document: its facts (number and phone masked), what a clerk can do with it now, and its timeline.</summary>
public partial class DocumentDetail
{
    private DocumentDetails? _document;
    private IReadOnlyDictionary<string, string> _staffNames = new Dictionary<string, string>();
    private bool _busy;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private DocumentQueries Documents { get; set; } = default!;

    [Inject]
    private DocumentActions Actions { get; set; } = default!;

    [Inject]
    private PickupAuthorizations Authorizations { get; set; } = default!;

    [Inject]
    private IOptions<PickupOptions> PickupSettings { get; set; } = default!;

    [Inject]
    private OpeningFeedback Openings { get; set; } = default!;

    [Inject]
    private IStaffNames StaffNames { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>The identity documents a clerk may have checked, as the dialogs offer them.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> IdentityChoices { get; } = IdentityProofs.GermanNames
        .Select(p => new KeyValuePair<string, string>(p.Key.ToString(), p.Value))
        .ToList();

    protected override async Task OnParametersSetAsync()
    {
        _staffNames = await StaffNames.DisplayNamesAsync();
        await LoadAsync();
    }

    /// <summary>The Vorgangsauszug of this document (personal data: the endpoint audits every print).</summary>
    private string HistoryUrl(Application.Reports.ReportFileFormat format) =>
        Web.Reports.ReportEndpoints.Url(Application.Reports.ReportKind.DocumentHistory, format,
            new Application.Reports.ReportRequest(Application.Reports.ReportKind.DocumentHistory, DocumentId: Id));

    private string PinText(DocumentDetails document) => document switch
    {
        { PinIssuedAt: null } => "–",
        { PinSmsSentAt: { } sent } => Localizer["Documents.PinSmsSent", OfficeClock.Format(sent)],
        { PinIssuedAt: { } issued } => Localizer["Documents.PinSent", OfficeClock.Format(issued)],
    };

    private static bool CanChangeMobile(DocumentDetails document) =>
        document.PersonalDataErasedAt is null
        && document.State is DocumentState.Arrived or DocumentState.ReadyForPickup or DocumentState.BackAtCounter;

    private bool CanExtend(DocumentDetails document) =>
        document.State == DocumentState.ReadyForPickup && document.DeadlineExtensions < PickupSettings.Value.MaxExtensions;

    private static bool CanRecordAuthorization(DocumentDetails document) =>
        document.AuthorizedPerson is null && document.PersonalDataErasedAt is null
        && document.State is DocumentState.Arrived or DocumentState.ReadyForPickup;

    private static bool CanRevokeAuthorization(DocumentDetails document) =>
        document.AuthorizedPerson is not null
        && document.State is DocumentState.Arrived or DocumentState.ReadyForPickup or DocumentState.BackAtCounter;

    private async Task RecordAuthorizationAsync()
    {
        var dialog = await Dialogs.ShowAsync<AuthorizationDialog>(Localizer["Documents.RecordAuthorization"], new DialogParameters<AuthorizationDialog>(),
            OfficeDialogs.Options());
        if (await dialog.Result is { Canceled: false, Data: AuthorizationInput input })
        {
            await ShowAsync(await Authorizations.RecordAsync(Id, input.Person, input.Proof, await AuthenticationState.ActorAsync()),
                Localizer["Documents.AuthorizationDone"]);
        }
    }

    private async Task RevokeAuthorizationAsync()
    {
        if (_document?.AuthorizedPerson is not { } authorized || !await Dialogs.ConfirmAsync(
                Localizer["Documents.RevokeAuthorization"], Localizer["Documents.AuthorizationRevokeConfirm", authorized.Name],
                Localizer["Documents.RevokeAuthorization"], Localizer["Common.Cancel"]))
        {
            return;
        }
        await ShowAsync(await Authorizations.RevokeAsync(Id, await AuthenticationState.ActorAsync()), Localizer["Documents.AuthorizationRevoked"]);
    }

    private async Task ExtendDeadlineAsync()
    {
        if (_document is null)
        {
            return;
        }
        var settings = PickupSettings.Value;
        var dialog = await Dialogs.ShowAsync<DeadlineExtensionDialog>(Localizer["Documents.Extend"],
            new DialogParameters<DeadlineExtensionDialog>
            {
                { d => d.MaxDays, settings.ExtensionDays },
                { d => d.Remaining, settings.MaxExtensions - _document.DeadlineExtensions },
            },
            OfficeDialogs.Options());
        if (await dialog.Result is { Canceled: false, Data: DeadlineExtensionInput input })
        {
            await ShowAsync(await Authorizations.ExtendDeadlineAsync(Id, input.Days, input.Reason, await AuthenticationState.ActorAsync()),
                Localizer["Documents.ExtendDone"]);
        }
    }

    private async Task ReissuePinAsync()
    {
        if (await AskIdentityAsync("Documents.ReissuePin", "Documents.ReissuePinText") is { } proof)
        {
            await ShowAsync(await Actions.ReissuePinAsync(Id, proof, await AuthenticationState.ActorAsync()), Localizer["Documents.PinReissued"]);
        }
    }

    private async Task RetrieveAsync()
    {
        if (_document?.CompartmentId is not { } compartment || !await Dialogs.ConfirmAsync(
                Localizer["Retrieval.Title"], Localizer["Retrieval.Confirm", _document.CompartmentLabel ?? ""],
                Localizer["Retrieval.Action"], Localizer["Common.Cancel"]))
        {
            return;
        }
        _busy = true;
        try
        {
            await Openings.RetrieveAsync(compartment, _document.CompartmentLabel ?? "", await AuthenticationState.ActorAsync());
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Lifting a lockout hands the compartment back to whoever knows the PIN: identity checked and a reason, both audited.</summary>
    private async Task LiftLockAsync()
    {
        if (await AskIdentityAsync("Documents.LiftLock", "Documents.LiftLockIdentityText") is not { } proof
            || await Dialogs.AskReasonAsync(Localizer["Documents.LiftLock"], Localizer["Documents.LiftLockReasonText"]) is not { } reason)
        {
            return;
        }
        await ShowAsync(await Actions.LiftLockAsync(Id, proof, reason, await AuthenticationState.ActorAsync()), Localizer["Documents.LockLifted"]);
    }

    private async Task ChangeMobileAsync()
    {
        var dialog = await Dialogs.ShowAsync<MobileNumberDialog>(Localizer["Documents.ChangeMobile"],
            new DialogParameters<MobileNumberDialog> { { d => d.Choices, IdentityChoices } },
            OfficeDialogs.Options());
        if (await dialog.Result is { Canceled: false, Data: MobileNumberChange change })
        {
            await ShowAsync(await Actions.ChangeMobileNumberAsync(Id, change.Proof, change.MobileNumber, await AuthenticationState.ActorAsync()),
                Localizer["Documents.MobileChanged"]);
        }
    }

    /// <summary>A document reported missing turned up: back at the counter with where it was (audited, the citizen told by SMS).</summary>
    private async Task ReportFoundAsync()
    {
        if (await Dialogs.AskReasonAsync(Localizer["Documents.ReportFound"], Localizer["Documents.ReportFoundText"]) is { } reason)
        {
            await ShowAsync(await Actions.ReportFoundAsync(Id, reason, await AuthenticationState.ActorAsync()), Localizer["Documents.ReportFoundDone"]);
        }
    }

    private async Task BlockAsync()
    {
        if (await Dialogs.AskReasonAsync(Localizer["Documents.Block"], Localizer["Documents.BlockText"]) is { } reason)
        {
            await ShowAsync(await Actions.BlockAsync(Id, reason, await AuthenticationState.ActorAsync()), Localizer["Documents.BlockDone"]);
        }
    }

    private async Task UnblockAsync() =>
        await ShowAsync(await Actions.UnblockAsync(Id, await AuthenticationState.ActorAsync()), Localizer["Documents.UnblockDone"]);

    private async Task<IdentityProof?> AskIdentityAsync(string titleKey, string textKey) =>
        await Dialogs.AskReasonAsync(Localizer[titleKey], Localizer[textKey], IdentityChoices) is { } chosen
            && Enum.TryParse<IdentityProof>(chosen, out var proof)
            ? proof
            : null;

    /// <summary>Says what was done (or why not) and shows the document as it is now.</summary>
    private async Task ShowAsync(Refusal? refusal, string success)
    {
        Notifier.Result(refusal is null ? null : Localizer.Refusal(refusal), success);
        await LoadAsync();
    }

    private async Task LoadAsync() => _document = await Documents.GetAsync(Id);
}
