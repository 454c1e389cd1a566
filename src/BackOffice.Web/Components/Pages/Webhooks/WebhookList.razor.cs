using BackOffice.Application.Operations;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Components.Pages.Webhooks;

/// <summary>
/// Webhooks: handover events the registration software has not taken yet (oldest first) with the last error, and a
/// retry now. Live: reads again after every delivery attempt of this instance.
/// </summary>
public sealed partial class WebhookList : IDisposable
{
    private IReadOnlyList<UndeliveredWebhook>? _undelivered;
    private bool _busy;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private WebhookAdministration Administration { get; set; } = default!;

    [Inject]
    private WebhookSignal Signal { get; set; } = default!;

    [Inject]
    private IOptions<WebhookOptions> Settings { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            Signal.Changed += OnChanged;
        }
        await LoadAsync();
    }

    public void Dispose() => Signal.Changed -= OnChanged;

    private void OnChanged()
    {
        try
        {
            _ = InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away; Dispose unsubscribes.
        }
    }

    private async Task LoadAsync() => _undelivered = await Administration.ListUndeliveredAsync();

    private async Task RetryAsync(UndeliveredWebhook webhook)
    {
        _busy = true;
        try
        {
            if (await Administration.RetryAsync(webhook.Id, await AuthenticationState.ActorAsync()))
            {
                Notifier.Success(Localizer["Webhook.RetryQueued", webhook.ApplicationReference], Localizer["Webhook.Title"]);
            }
            else
            {
                Notifier.Warning(Localizer["Webhook.RetryNotPossible"], Localizer["Webhook.Title"]);
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
