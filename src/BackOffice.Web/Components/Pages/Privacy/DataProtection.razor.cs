using BackOffice.Application.Privacy;
using BackOffice.Domain.Privacy;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Radzen;

namespace BackOffice.Web.Components.Pages.Privacy;

/// <summary>Data protection for admins: the retention rule and its runs, and the export of one person's data on request.</summary>
public partial class DataProtection
{
    private IReadOnlyList<RetentionRun> _runs = [];
    private bool _running;

    [Inject]
    private PersonalDataRetention Retention { get; set; } = default!;

    [Inject]
    private IOptions<PrivacyOptions> Settings { get; set; } = default!;

    [Inject]
    private NotificationService Notifications { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync() => _runs = await Retention.RecentRunsAsync();

    private async Task RunAsync()
    {
        _running = true;
        try
        {
            var run = await Retention.RunAsync(await AuthenticationState.ActorAsync());
            Notifications.Notify(NotificationSeverity.Success, Localizer["Privacy.RunDone", run.DocumentsErased, run.MessagesErased]);
            _runs = await Retention.RecentRunsAsync();
        }
        finally
        {
            _running = false;
        }
    }
}
