using BackOffice.Application.Abstractions;
using BackOffice.Application.Privacy;
using BackOffice.Domain.Privacy;
using BackOffice.Web.Components.Dialogs;
using BackOffice.Web.Privacy;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Privacy;

/// <summary>
/// Data protection for admins: the retention rule and its runs (started by hand only after a confirmation), and the
/// export of one person's data on request as a German PDF or as JSON.
/// </summary>
public partial class DataProtection
{
    private static readonly Dictionary<string, object?> NumberAttributes = new()
    {
        ["name"] = "number",
        ["autocomplete"] = "off",
        ["required"] = true,
        ["data-testid"] = "privacy-number",
    };

    private static readonly Dictionary<string, object?> PdfAttributes = new()
    {
        ["name"] = "format",
        ["value"] = "pdf",
        ["data-testid"] = "privacy-export",
    };

    private static readonly Dictionary<string, object?> JsonAttributes = new()
    {
        ["name"] = "format",
        ["value"] = "json",
        ["data-testid"] = "privacy-export-json",
    };

    private IReadOnlyList<RetentionRun> _runs = [];
    private IReadOnlyDictionary<string, string> _staffNames = new Dictionary<string, string>();
    private string? _number;
    private bool _running;

    [Inject]
    private PersonalDataRetention Retention { get; set; } = default!;

    [Inject]
    private IStaffNames StaffNames { get; set; } = default!;

    [Inject]
    private IOptions<PrivacyOptions> Settings { get; set; } = default!;

    [Inject]
    private Notifier Notifier { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>What the export endpoint sent back instead of a file (never the number).</summary>
    [SupplyParameterFromQuery(Name = PrivacyEndpoints.ExportProblemParameter)]
    public string? ExportProblem { get; set; }

    private string? ExportProblemText => ExportProblem switch
    {
        PrivacyEndpoints.NotFound => Localizer["Privacy.ExportNotFound"].Value,
        PrivacyEndpoints.Invalid => Localizer["Privacy.ExportInvalid"].Value,
        _ => null,
    };

    /// <summary>"alle 6 Stunden", "alle 30 Minuten", "täglich": the interval read as a period, not as a clock time.</summary>
    private string IntervalText => PrivacyTexts.Interval(Localizer, Settings.Value.RetentionInterval);

    protected override async Task OnInitializedAsync() => await LoadRunsAsync();

    private async Task LoadRunsAsync()
    {
        _staffNames = await StaffNames.DisplayNamesAsync();
        _runs = await Retention.RecentRunsAsync();
    }

    private async Task RunAsync()
    {
        var confirmed = await Dialogs.ConfirmAsync(Localizer["Privacy.RunNow"],
            Localizer["Privacy.RunConfirm", Settings.Value.RetentionDays], Localizer["Privacy.RunConfirmYes"], Localizer["Common.Cancel"]);
        if (!confirmed)
        {
            return;
        }
        _running = true;
        try
        {
            var run = await Retention.RunAsync(await AuthenticationState.ActorAsync());
            Notifier.Success(Localizer["Privacy.RunDone", run.DocumentsErased, run.MessagesErased]);
            await LoadRunsAsync();
        }
        finally
        {
            _running = false;
        }
    }
}
