using BackOffice.Application.Audit;
using BackOffice.Application.Operations;
using BackOffice.Domain.Operations;
using BackOffice.Domain.Staff;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Alarms;

/// <summary>
/// Alarme: the open alarms of the kinds the role is concerned with (optionally also the resolved ones), with
/// acknowledge and resolve, who and when. Live: reads again whenever an alarm is raised, acknowledged or resolved.
/// </summary>
public sealed partial class AlarmList : IDisposable
{
    private IReadOnlyList<AlarmLine>? _alarms;
    private IReadOnlyList<AlarmKind> _kinds = [];
    private IDisposable? _subscription;
    private bool _includeResolved;
    private int _loads;
    private bool _busy;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private AlarmService Alarms { get; set; } = default!;

    [Inject]
    private AlarmChanges Changes { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _kinds = AlarmRules.KindsFor(StaffRoles.All.Where(user.IsInRole));
        if (RendererInfo.IsInteractive)
        {
            _subscription = Changes.Subscribe(OnChanged);
        }
        await LoadAsync();
    }

    public void Dispose() => _subscription?.Dispose();

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
            // The circuit went away between the change and this call; Dispose unsubscribes.
        }
    }

    /// <summary>
    /// Loads reach the page in any order (a change notice, the switch, an action): only the latest one's list is shown,
    /// so an older load without the resolved alarms cannot overwrite the list the switch just asked for.
    /// </summary>
    private async Task LoadAsync()
    {
        var load = ++_loads;
        var alarms = await Alarms.ListAsync(_kinds, _includeResolved);
        if (load == _loads)
        {
            _alarms = alarms;
        }
    }

    private async Task ShowResolvedAsync(bool value)
    {
        _includeResolved = value;
        await LoadAsync();
    }

    private static string Who(string? actor) => actor is null ? "" : AuditTrail.NameOf(actor);

    private Task AcknowledgeAsync(AlarmLine alarm) =>
        ActAsync(alarm, (id, actor) => Alarms.AcknowledgeAsync(id, actor), "Alarm.AcknowledgedNotice");

    private Task ResolveAsync(AlarmLine alarm) =>
        ActAsync(alarm, (id, actor) => Alarms.ResolveAsync(id, actor), "Alarm.ResolvedNotice");

    private async Task ActAsync(AlarmLine alarm, Func<Guid, string, Task<bool>> act, string notice)
    {
        _busy = true;
        try
        {
            if (await act(alarm.Id, await AuthenticationState.ActorAsync()))
            {
                Notifier.Success(Localizer[notice, Localizer[$"AlarmKind.{alarm.Kind}"]], Localizer["Alarm.Title"]);
            }
            else
            {
                Notifier.Warning(Localizer["Alarm.ChangedMeanwhile"], Localizer["Alarm.Title"]);
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
