using BackOffice.Web.Security;
using BackOffice.Web.Security.SingleSignOn;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Layout;

/// <summary>The main navigation: the areas the signed-in person's policies open, the current one marked.</summary>
public partial class NavMenu
{
    /// <param name="Href">The page's address, relative to the base.</param>
    /// <param name="Icon">A MudBlazor icon (the SVG's content).</param>
    /// <param name="TextKey">The resource of its label.</param>
    /// <param name="Policy">Null: every signed-in person.</param>
    /// <param name="ExactMatch">Marked only on its own address, not on the addresses below it.</param>
    /// <param name="LocalAccountsOnly">Only with local accounts (the directory has its own second factor).</param>
    private sealed record Entry(string Href, string Icon, string TextKey, string? Policy = null, bool ExactMatch = false, bool LocalAccountsOnly = false);

    // In the menu's order.
    private static readonly Entry[] Entries =
    [
        new("", Icons.Material.Filled.Dashboard, "Nav.Overview", ExactMatch: true),
        new("dokumente", Icons.Material.Filled.Badge, "Nav.Documents", AuthorizationPolicies.CounterWork),
        new("ueberfaellig", Icons.Material.Filled.RunningWithErrors, "Nav.Overdue", AuthorizationPolicies.CounterWork),
        new("altausweise", Icons.Material.Filled.DeleteSweep, "Nav.Bin", AuthorizationPolicies.CounterWork),
        new("vorgaenge", Icons.Material.Filled.PendingActions, "Nav.OpenOperations", AuthorizationPolicies.CounterWork),
        new("inventur/abweichungen", Icons.Material.Filled.RuleFolder, "Nav.Discrepancies", AuthorizationPolicies.CounterWork),
        new("faecher", Icons.Material.Filled.GridView, "Nav.Compartments"),
        new("berichte", Icons.Material.Filled.Print, "Nav.Reports"),
        new("alarme", Icons.Material.Filled.NotificationsActive, "Nav.Alarms"),
        new("sms", Icons.Material.Filled.Sms, "Nav.Sms", AuthorizationPolicies.CounterWork),
        new("kapazitaet", Icons.Material.Filled.QueryStats, "Nav.Forecast", AuthorizationPolicies.Supervision),
        new("service-oeffnung", Icons.Material.Filled.Build, "Nav.Service", AuthorizationPolicies.Supervision),
        new("inventur", Icons.Material.Filled.Inventory, "Nav.Inventory", AuthorizationPolicies.Supervision, ExactMatch: true),
        new("protokoll", Icons.Material.Filled.HistoryEdu, "Nav.Audit", AuthorizationPolicies.Supervision),
        new("webhooks", Icons.Material.Filled.Webhook, "Nav.Webhooks", AuthorizationPolicies.Supervision),
        new("verwaltung", Icons.Material.Filled.Settings, "Nav.Administration", AuthorizationPolicies.Administration),
        new("verwaltung/konten", Icons.Material.Filled.ManageAccounts, "Nav.StaffAccounts", AuthorizationPolicies.Administration),
        new("datenschutz", Icons.Material.Filled.ShieldMoon, "Nav.Privacy", AuthorizationPolicies.Administration),
        new("konto/zwei-faktor", Icons.Material.Filled.PhonelinkLock, "Nav.TwoFactor", LocalAccountsOnly: true),
    ];

    private IReadOnlyList<Entry> _visible = [];
    private string _path = "";

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IOptions<StaffAuthenticationOptions> Authentication { get; set; } = default!;

    protected override void OnInitialized()
    {
        _path = CurrentPath();
        Navigation.LocationChanged += OnLocationChanged;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is null)
        {
            _visible = [];
            return;
        }
        var user = (await AuthenticationState).User;
        var allowed = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var policy in Entries.Select(e => e.Policy).OfType<string>().Distinct())
        {
            allowed[policy] = (await Authorization.AuthorizeAsync(user, resource: null, policy)).Succeeded;
        }
        var localAccounts = !Authentication.Value.IsDirectory;
        _visible = Entries
            .Where(e => (e.Policy is null || allowed[e.Policy]) && (!e.LocalAccountsOnly || localAccounts))
            .ToList();
    }

    /// <summary>As NavLink marks a link: its own address, or (unless exact) an address below it.</summary>
    private bool IsActive(Entry entry) =>
        entry.ExactMatch || entry.Href.Length == 0
            ? string.Equals(_path, entry.Href, StringComparison.OrdinalIgnoreCase)
            : _path.Equals(entry.Href, StringComparison.OrdinalIgnoreCase)
              || _path.StartsWith(entry.Href + "/", StringComparison.OrdinalIgnoreCase);

    private string CurrentPath()
    {
        var relative = Navigation.ToBaseRelativePath(Navigation.Uri);
        var end = relative.IndexOfAny(['?', '#']);
        return (end < 0 ? relative : relative[..end]).TrimEnd('/');
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var path = CurrentPath();
        if (path != _path)
        {
            _path = path;
            InvokeAsync(StateHasChanged);
        }
    }

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;
}
