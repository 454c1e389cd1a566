using System.Security.Claims;
using BackOffice.Application.Boxes;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Infrastructure.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages;

public partial class Home
{
    private string _displayName = "";
    private IReadOnlyList<(string Name, bool Healthy)>? _status;
    private string? _checkedAt;
    private bool _checking;
    private IReadOnlyList<BoxSummary> _boxes = [];
    private IReadOnlyDictionary<Guid, BoxDocumentCounts> _counts = new Dictionary<Guid, BoxDocumentCounts>();

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private OfficeClock Clock { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private DocumentCounts Documents { get; set; } = default!;

    [Inject]
    private HealthCheckService HealthChecks { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _displayName = user.FindFirstValue(StaffClaims.DisplayName) ?? user.Identity?.Name ?? "";
        _boxes = await Boxes.ListAsync();
        _counts = await Documents.ByBoxAsync();
    }

    /// <summary>Runs the same checks as /health/ready and shows each one's result.</summary>
    private async Task CheckStatusAsync()
    {
        _checking = true;
        try
        {
            var report = await HealthChecks.CheckHealthAsync(check => check.Tags.Contains("ready"));
            _status = report.Entries.Select(e => (e.Key, e.Value.Status == HealthStatus.Healthy)).ToList();
            _checkedAt = OfficeClock.Format(Clock.UtcNow);
            if (report.Status == HealthStatus.Healthy)
            {
                Notifier.Success(Localizer["Home.StatusAllOk"], Localizer["Home.SystemStatus"]);
            }
            else
            {
                Notifier.Error(Localizer["Home.StatusProblem"], Localizer["Home.SystemStatus"]);
            }
        }
        finally
        {
            _checking = false;
        }
    }
}
