using BackOffice.Application.Messaging;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Components.Pages.Sms;

/// <summary>
/// SMS-Ausgang: messages that could not be delivered (with a retry), and in Development the messages the development
/// sender kept, so a demo user can read the PIN. Live: the page reads the outbox again whenever a message is queued,
/// sent or given up (<see cref="SmsOutboxChanges"/>), no refresh needed.
/// </summary>
public sealed partial class SmsOutbox : IDisposable
{
    private IReadOnlyList<SmsProblem>? _problems;
    private IReadOnlyList<DevelopmentSms> _developmentMessages = [];
    private DevelopmentSmsSender? _developmentSender;
    private IDisposable? _subscription;
    private bool _busy;
    private bool _reloading;
    private bool _reloadAgain;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private SmsOutboxAdministration Outbox { get; set; } = default!;

    [Inject]
    private SmsOutboxChanges Changes { get; set; } = default!;

    [Inject]
    private IOptions<SmsOptions> Settings { get; set; } = default!;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        // Only the sender in use shows its messages; start-up validation keeps it out of Production.
        if (Settings.Value.Sender == SmsSenderKind.Development)
        {
            _developmentSender = Services.GetRequiredService<DevelopmentSmsSender>();
        }
        // Subscribed before the first read: a change between the two is not missed.
        if (RendererInfo.IsInteractive)
        {
            _subscription = Changes.Subscribe(OnOutboxChanged);
        }
        await LoadAsync();
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Called on the sender's thread (the dispatcher): hands the work to the circuit and returns at once.</summary>
    private void OnOutboxChanged()
    {
        try
        {
            _ = InvokeAsync(ReloadAsync);
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between the change and this call; Dispose unsubscribes.
        }
    }

    private async Task LoadAsync()
    {
        _problems = await Outbox.ListProblemsAsync();
        _developmentMessages = _developmentSender?.Messages ?? [];
    }

    /// <summary>On the circuit's thread: one read at a time, and a burst of changes during a read costs one more read.</summary>
    private async Task ReloadAsync()
    {
        if (_reloading)
        {
            _reloadAgain = true;
            return;
        }
        _reloading = true;
        try
        {
            do
            {
                _reloadAgain = false;
                await LoadAsync();
                StateHasChanged();
            }
            while (_reloadAgain);
        }
        catch (ObjectDisposedException)
        {
            // The page closed during the read.
        }
        finally
        {
            _reloading = false;
        }
    }

    private async Task RetryAsync(SmsProblem sms)
    {
        _busy = true;
        try
        {
            var queued = await Outbox.RetryAsync(sms.Id, await AuthenticationState.ActorAsync());
            if (queued)
            {
                Notifier.Success(Localizer["Sms.RetryQueued", sms.MaskedRecipient], Localizer["Sms.Title"]);
            }
            else
            {
                Notifier.Warning(Localizer["Sms.RetryNotPossible"], Localizer["Sms.Title"]);
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
