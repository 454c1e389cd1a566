using BackOffice.Application.Abstractions;
using BackOffice.Application.Bridge;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages.Operations;

/// <summary>
/// Stuck operations and compartments to check, each with what the box last reported and the two ways to settle it;
/// and what the server refused from a box. Every settlement is audited by the service.
/// </summary>
public partial class OpenOperationsPage
{
    private IReadOnlyList<OpenOperation>? _operations;
    private IReadOnlyList<RefusedBoxMessage> _refusals = [];
    private IReadOnlyList<RunningLoading> _running = [];
    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();
    private readonly Dictionary<Guid, string> _notes = [];
    private string? _message;
    private bool _messageOk;
    private bool _busy;

    [Inject]
    private OpenOperations Operations { get; set; } = default!;

    [Inject]
    private IStaffNames StaffNames { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _names = await StaffNames.DisplayNamesAsync();
        _running = await Operations.RunningLoadingsAsync();
        _operations = await Operations.ListAsync();
        _refusals = await Operations.RefusalsAsync();
        foreach (var check in _operations.Where(o => o.Kind == OpenOperationKind.Check))
        {
            _notes.TryAdd(check.Id, "");
        }
    }

    private async Task ResolveAsync(OpenOperation operation, bool completed)
    {
        _busy = true;
        try
        {
            var resolved = await Operations.ResolveAsync(operation.Kind, operation.Id, completed, await AuthenticationState.ActorAsync(),
                _notes.GetValueOrDefault(operation.Id));
            _messageOk = resolved;
            _message = Localizer[resolved ? "OpenOps.Resolved" : "OpenOps.AlreadyResolved"];
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The loading page, which finds a running loading by any of its documents' numbers.</summary>
    // By the loading's id: the page shows that loading again (status, compartment, Abbrechen), and no document number travels in the address.
    private static string LoadingPage(RunningLoading loading) => $"dokumente/einlegen?vorgang={loading.LoadId}";

    private string Describe(BoxReport report) => report.Door is { } door
        ? Localizer[$"DoorState.{door}"]
        : $"{Localizer[$"CommandPurpose.{report.Purpose}"]}: {Localizer[$"CommandStatus.{report.Status}"]}"
            + (report.ByBox ? "" : $" ({Localizer["OpenOps.ServerAssumption"]})")
            + (report.Detail is { } detail ? $" – {detail}" : "");
}
