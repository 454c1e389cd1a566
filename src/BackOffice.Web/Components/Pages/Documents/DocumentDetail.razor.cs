using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Pickup;
using BackOffice.Web.Bridge;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Radzen;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>One document: its facts (number and phone masked) and its timeline.</summary>
public partial class DocumentDetail
{
    private DocumentDetails? _document;
    private bool _busy;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private DocumentQueries Documents { get; set; } = default!;

    [Inject]
    private DocumentActions Actions { get; set; } = default!;

    [Inject]
    private OpeningFeedback Openings { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    /// <summary>The Vorgangsauszug of this document (personal data: the endpoint audits every print).</summary>
    private string HistoryUrl(Application.Reports.ReportFileFormat format) =>
        Web.Reports.ReportEndpoints.Url(Application.Reports.ReportKind.DocumentHistory, format,
            new Application.Reports.ReportRequest(Application.Reports.ReportKind.DocumentHistory, DocumentId: Id));

    private async Task ReissuePinAsync()
    {
        var choices = Application.Pickup.IdentityProofs.GermanNames
            .Select(p => new KeyValuePair<string, string>(p.Key.ToString(), p.Value))
            .ToList();
        if (await AskAsync("Documents.ReissuePin", "Documents.ReissuePinText", choices) is { } chosen
            && Enum.TryParse<Domain.Documents.IdentityProof>(chosen, out var proof))
        {
            await ShowAsync(await Actions.ReissuePinAsync(Id, proof, await AuthenticationState.ActorAsync()), "Documents.PinReissued");
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

    private async Task LiftLockAsync() =>
        await ShowAsync(await Actions.LiftLockAsync(Id, await AuthenticationState.ActorAsync()), "Common.Saved");

    private async Task BlockAsync()
    {
        if (await AskAsync("Documents.Block", "Documents.BlockText") is { } reason)
        {
            await ShowAsync(await Actions.BlockAsync(Id, reason, await AuthenticationState.ActorAsync()), "Common.Saved");
        }
    }

    private async Task UnblockAsync() =>
        await ShowAsync(await Actions.UnblockAsync(Id, await AuthenticationState.ActorAsync()), "Common.Saved");

    private async Task<string?> AskAsync(string titleKey, string textKey, IReadOnlyList<KeyValuePair<string, string>>? choices = null) =>
        await Dialogs.AskReasonAsync(Localizer[titleKey], Localizer[textKey], choices);

    private async Task ShowAsync(Refusal? refusal, string successKey)
    {
        Notifications.Notify(refusal is null ? NotificationSeverity.Success : NotificationSeverity.Error,
            refusal is null ? Localizer[successKey] : Localizer.Refusal(refusal));
        await LoadAsync();
    }

    private async Task LoadAsync() => _document = await Documents.GetAsync(Id);
}
