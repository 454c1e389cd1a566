using BackOffice.Application.Boxes;
using BackOffice.Application.Documents;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>
/// Registers one finished document. Friendly to a barcode scanner: the number field has the focus, and the scanner's
/// Enter submits; after saving the form is ready for the next document.
/// </summary>
public partial class DocumentRegister
{
    private DocumentDraft _draft = new() { Type = Types[0].Key };
    private string _oldNumbers = "";
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private RegistrationResult? _registered;
    private string _lastNumber = "";
    private bool _saving;
    private MudTextField<string>? _numberField;
    private bool _focusNumber;

    /// <summary>
    /// The boxes, read while prerendering and handed over to the live page: the live page then renders once, and no
    /// second render after a read of its own resets the number field while a scanner is typing into it.
    /// </summary>
    [PersistentState]
    public List<string>? BoxCodes { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private DocumentRegistration Registration { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    private static IReadOnlyList<KeyValuePair<string, string>> Types { get; } =
        DocumentTypes.GermanNames.Select(t => new KeyValuePair<string, string>(t.Key.ToString(), t.Value)).ToList();

    protected override async Task OnInitializedAsync()
    {
        BoxCodes ??= (await Boxes.ListAsync()).Select(b => b.Code).ToList();
        // Only the box: a scanner may have typed the number already while the boxes were read.
        _draft.BoxCode ??= BoxCodes.FirstOrDefault();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusNumber && _numberField is not null)
        {
            _focusNumber = false;
            await _numberField.FocusAsync();
        }
    }

    /// <summary>The attributes a field's input carries: its test id and, for the scanner, where Enter moves on to.</summary>
    private static Dictionary<string, object?> Attributes(string testId, params (string Name, string Value)[] more)
    {
        var attributes = new Dictionary<string, object?> { ["data-testid"] = testId };
        foreach (var (name, value) in more)
        {
            attributes[name] = value;
        }
        return attributes;
    }

    private void Reset()
    {
        var box = _draft.BoxCode ?? BoxCodes?.FirstOrDefault();
        _draft = new DocumentDraft { Type = Types[0].Key, BoxCode = box };
        _oldNumbers = "";
    }

    private async Task RegisterAsync()
    {
        _saving = true;
        try
        {
            _draft.OldDocumentNumbers = _oldNumbers.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var result = await Registration.RegisterAsync(_draft, await AuthenticationState.ActorAsync());
            _errors = L.Refusals(result.Errors);
            if (result.Succeeded)
            {
                _registered = result;
                _lastNumber = BackOffice.Domain.Documents.DocumentRules.NormalizeDocumentNumber(_draft.DocumentNumber);
                Reset();
                // Ready for the next document: the scanner types into the number field.
                _focusNumber = true;
            }
            else
            {
                _registered = null;
            }
        }
        finally
        {
            _saving = false;
        }
    }
}
