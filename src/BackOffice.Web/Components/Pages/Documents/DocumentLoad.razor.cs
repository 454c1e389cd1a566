using BackOffice.Application.Abstractions;
using BackOffice.Application.Documents;
using BackOffice.Application.Pickup;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Domain.Documents;
using BackOffice.Web.Components.Controls;
using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>
/// Loading at the counter: scan the documents of one household (a document of another household is refused at the scan,
/// with a second compartment or an audited join as the way on), take the proposed compartment, and follow the door live
/// (opening, open, closed) until the documents are ready.
/// </summary>
public sealed partial class DocumentLoad : IDisposable
{
    private readonly List<Document> _documents = [];
    private string _scan = "";
    private string? _message;
    private string _boxCode = "";
    private LoadProposal? _proposal;
    private LoadView? _load;
    private bool _starting;
    private MudTextField<string>? _scanField;
    private MudButton? _nextButton;
    private bool _focusScan;

    // True while the loading or document named in the address is looked up.
    private bool _resolvingAddress;

    // A four-eyes box: the second person's credentials, kept only until the loading started (or was refused).
    private string _witness = "";
    private string _witnessPassword = "";

    // In the directory modes the second person signs in fresh instead (WitnessSignIn).
    private WitnessSignIn? _witnessSignIn;

    // A scanned document of another household, refused: the clerk may join it with a reason (audited).
    private Document? _otherHousehold;

    [SupplyParameterFromQuery(Name = "nr")]
    public string? Number { get; set; }

    /// <summary>The running loading this page follows: in the address, so a reload or "back" finds it again.</summary>
    [SupplyParameterFromQuery(Name = "vorgang")]
    public Guid? LoadId { get; set; }

    /// <summary>
    /// Box codes by id, read while prerendering and handed over to the live page, so the live page renders once and no
    /// later render resets the scan field while a scanner types.
    /// </summary>
    [PersistentState]
    public Dictionary<Guid, string>? BoxCodes { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private DocumentLoading Loading { get; set; } = default!;

    [Inject]
    private LoadUpdates Updates { get; set; } = default!;

    [Inject]
    private BackOffice.Application.Boxes.BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [Inject]
    private DocumentActions Actions { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IOptions<StaffAuthenticationOptions> SignInOptions { get; set; } = default!;

    private bool DirectoryMode => SignInOptions.Value.IsDirectory;

    private bool IsActive => _load is { Status: LoadStatus.Opening or LoadStatus.DoorOpen };

    protected override async Task OnInitializedAsync()
    {
        Updates.Changed += OnLoadChanged;
        _resolvingAddress = LoadId is not null || !string.IsNullOrWhiteSpace(Number);
        try
        {
            await ResolveAddressAsync();
        }
        finally
        {
            _resolvingAddress = false;
        }
    }

    private async Task ResolveAddressAsync()
    {
        await BoxCodesAsync();
        if (LoadId is { } loadId)
        {
            _load = await Loading.GetAsync(loadId);
        }
        else if (!string.IsNullOrWhiteSpace(Number))
        {
            // Opened from a document's page (or after registering it): that document is scanned already, or its loading
            // is running already.
            if (await Loading.FindActiveLoadAsync(Number) is { } running)
            {
                Follow(running);
                return;
            }
            _scan = Number;
            await AddScannedAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusScan)
        {
            _focusScan = false;
            if (_scanField is not null)
            {
                await _scanField.FocusAsync();
            }
            else if (_nextButton is not null)
            {
                await _nextButton.FocusAsync();
            }
        }
    }

    /// <summary>Shows this loading and puts it in the address (replacing the entry), so a reload or "back" comes back to it.</summary>
    private void Follow(LoadView load)
    {
        _load = load;
        Navigation.NavigateTo($"dokumente/einlegen?vorgang={load.Id}", replace: true);
    }

    /// <summary>
    /// Once per page, not per scan: a scan at the counter should cost one lookup. Also asked for by the scan itself: the
    /// field is on screen while the page still loads, and a scanner is quicker than that.
    /// </summary>
    private async Task<Dictionary<Guid, string>> BoxCodesAsync() =>
        BoxCodes ??= (await Boxes.ListAsync()).ToDictionary(b => b.Id, b => b.Code);

    private async Task AddScannedAsync()
    {
        _message = null;
        _otherHousehold = null;
        var document = await Loading.FindArrivedAsync(_scan);
        _scan = "";
        if (document is null)
        {
            _message = Localizer["Load.Unknown"];
        }
        else if (document.State != DocumentState.Arrived)
        {
            _message = Localizer["Load.NotArrived", document.DocumentNumber, Localizer[$"DocumentState.{document.State}"]];
        }
        else if (_documents.Count > 0 && _documents[0].BoxId != document.BoxId)
        {
            _message = Localizer["Load.OtherBox", document.DocumentNumber];
        }
        else if (_documents.Count > 0 && _documents.All(d => d.Id != document.Id) && Households.KeyOf(_documents[0]) != Households.KeyOf(document))
        {
            // Refused here already, not only when the compartment is opened: one compartment, one household, one PIN.
            _message = Localizer.Refusal(Households.MixedRefusal(document));
            _otherHousehold = document;
        }
        else if (_documents.All(d => d.Id != document.Id))
        {
            _documents.Add(document);
            _boxCode = (await BoxCodesAsync()).GetValueOrDefault(document.BoxId, "");
        }
        await ProposeAsync();
        _focusScan = true;
    }

    private async Task JoinHouseholdAsync()
    {
        if (_otherHousehold is not { } document || _documents.Count == 0)
        {
            return;
        }
        if (await Dialogs.AskReasonAsync(Localizer["Load.JoinHouseholdTitle", document.DocumentNumber], Localizer["Load.JoinHouseholdText"])
            is not { } reason)
        {
            return;
        }
        var error = await Actions.JoinHouseholdAsync(document.Id, _documents[0].DocumentNumber, reason, await AuthenticationState.ActorAsync());
        if (error is not null)
        {
            _message = Localizer.Refusal(error);
            return;
        }
        _otherHousehold = null;
        _scan = document.DocumentNumber;
        await AddScannedAsync();
        _message = Localizer["Load.Joined", document.DocumentNumber];
    }

    private async Task RemoveAsync(Document document)
    {
        _documents.Remove(document);
        await ProposeAsync();
    }

    private async Task ProposeAsync() =>
        _proposal = _documents.Count == 0 ? null : await Loading.ProposeAsync(_documents.Select(d => d.Id).ToList());

    private async Task StartAsync()
    {
        _starting = true;
        try
        {
            WitnessProof? witness = !_proposal!.NeedsWitness ? null
                : DirectoryMode ? _witnessSignIn?.Proof
                : new WitnessPassword(_witness, _witnessPassword);
            // The password never stays on the page, whatever the answer.
            _witnessPassword = "";
            var start = await Loading.StartAsync(_documents.Select(d => d.Id).ToList(), _proposal.CompartmentId, await AuthenticationState.ActorAsync(),
                witness: witness);
            // A fresh sign-in counts once, used or refused: the status beside the button goes.
            _witnessSignIn?.Refresh();
            if (!start.Started)
            {
                _message = Localizer.Refusal(start.Refusal!);
                await ProposeAsync();
                return;
            }
            _witness = "";
            if (await Loading.GetAsync(start.LoadId!.Value) is { } started)
            {
                Follow(started);
            }
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task CancelAsync()
    {
        await Loading.CancelAsync(_load!.Id, await AuthenticationState.ActorAsync());
        _load = await Loading.GetAsync(_load.Id);
    }

    private async Task NextAsync()
    {
        _load = null;
        Navigation.NavigateTo("dokumente/einlegen", replace: true);
        await ProposeAsync();
        _focusScan = true;
    }

    /// <summary>Runs on the thread that changed the loading: only hand the refresh to the circuit.</summary>
    private void OnLoadChanged(Guid loadId)
    {
        if (_load?.Id != loadId)
        {
            return;
        }
        _ = InvokeAsync(async () =>
        {
            _load = await Loading.GetAsync(loadId);
            if (_load?.Status == LoadStatus.Completed)
            {
                // Loaded: these documents are done; the scan field is for the next household.
                _documents.Clear();
                _proposal = null;
            }
            // Loaded or aborted: the next step ("Nächste Einlage") gets the focus, so the keyboard goes on.
            _focusScan = _load is { Status: not (LoadStatus.Opening or LoadStatus.DoorOpen) };
            StateHasChanged();
        });
    }

    private static string StatusIcon(LoadStatus status) => status switch
    {
        LoadStatus.Completed => Icons.Material.Filled.CheckCircle,
        _ => Icons.Material.Filled.Error,
    };

    public void Dispose() => Updates.Changed -= OnLoadChanged;
}
