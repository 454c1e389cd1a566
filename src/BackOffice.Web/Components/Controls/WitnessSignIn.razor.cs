using BackOffice.Application.Abstractions;
using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackOffice.Web.Components.Controls;

/// <summary>
/// Opens a ticket of <see cref="FreshSignIns"/> for the signed-in clerk and one purpose, links to the second person's
/// fresh sign-in for it (a new window; the clerk's page and sign-in stay as they are) and follows its result live.
/// The page hands <see cref="Proof"/> to the action; the confirmation counts once.
/// </summary>
public sealed partial class WitnessSignIn : IDisposable
{
    private Guid? _ticket;

    [Parameter, EditorRequired]
    public WitnessPurpose Purpose { get; set; }

    /// <summary>Prefix of the test ids (the page's own, e.g. <c>load-witness</c>).</summary>
    [Parameter, EditorRequired]
    public string TestId { get; set; } = "";

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private FreshSignIns FreshSignIns { get; set; } = default!;

    /// <summary>What the page hands to the four-eyes action.</summary>
    public WitnessProof Proof => new WitnessFreshSignIn(_ticket ?? Guid.Empty);

    private FreshSignInResult? Result => _ticket is { } ticket ? FreshSignIns.Peek(ticket) : null;

    private string SignInAddress => $"{DirectoryAuthentication.SecondPersonPath.TrimStart('/')}?ticket={_ticket}";

    protected override async Task OnInitializedAsync()
    {
        _ticket = FreshSignIns.Begin(await AuthenticationState.ActorAsync(), Purpose);
        FreshSignIns.Changed += OnChanged;
    }

    /// <summary>After the page used (or tried) the confirmation: it is gone, show that.</summary>
    public void Refresh() => StateHasChanged();

    /// <summary>Runs on the provider callback's thread: only hand the refresh to the circuit.</summary>
    private void OnChanged(Guid ticket)
    {
        if (ticket == _ticket)
        {
            _ = InvokeAsync(StateHasChanged);
        }
    }

    public void Dispose()
    {
        FreshSignIns.Changed -= OnChanged;
        if (_ticket is { } ticket)
        {
            FreshSignIns.End(ticket);
        }
    }
}
