using BackOffice.Application.Messaging;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Radzen;

namespace BackOffice.Web.Components.Pages.Sms;

/// <summary>
/// SMS-Ausgang: messages that could not be delivered (with a retry), and in Development the messages the development
/// sender kept, so a demo user can read the PIN.
/// </summary>
public partial class SmsOutbox
{
    private IReadOnlyList<SmsProblem>? _problems;
    private IReadOnlyList<DevelopmentSms> _developmentMessages = [];
    private DevelopmentSmsSender? _developmentSender;
    private bool _busy;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private SmsOutboxAdministration Outbox { get; set; } = default!;

    [Inject]
    private IOptions<SmsOptions> Settings { get; set; } = default!;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        // Only the sender in use shows its messages; start-up validation keeps it out of Production.
        if (Settings.Value.Sender == SmsSenderKind.Development)
        {
            _developmentSender = Services.GetRequiredService<DevelopmentSmsSender>();
        }
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _problems = await Outbox.ListProblemsAsync();
        _developmentMessages = _developmentSender?.Messages ?? [];
    }

    private async Task RetryAsync(SmsProblem sms)
    {
        _busy = true;
        try
        {
            var queued = await Outbox.RetryAsync(sms.Id, await AuthenticationState.ActorAsync());
            Notifications.Notify(
                queued ? NotificationSeverity.Success : NotificationSeverity.Warning,
                Localizer["Sms.Title"],
                queued ? Localizer["Sms.RetryQueued", sms.MaskedRecipient] : Localizer["Sms.RetryNotPossible"]);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
