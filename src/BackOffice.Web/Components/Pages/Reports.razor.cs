using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Reports;
using BackOffice.Domain.Documents;
using BackOffice.Web.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Pages;

/// <summary>
/// Berichte: choose a report, its box and period (or document), and download it as PDF or CSV. Only the reports the
/// user's role may print are offered (the endpoint checks again). The file comes from the report endpoint, not the circuit.
/// </summary>
public partial class Reports
{
    private IReadOnlyList<ReportOption> _available = [];
    private IReadOnlyList<string> _boxCodes = [];
    private ReportKind _kind;
    private string? _boxCode;
    private DateTime? _from;
    private DateTime? _to;
    private string _documentNumber = "";
    private FoundDocument? _document;
    private string? _documentProblem;

    [Inject]
    private IAuthorizationService Authorization { get; set; } = default!;

    [Inject]
    private IReportLookups Lookups { get; set; } = default!;

    [Inject]
    private OfficeClock Clock { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private ReportDefinition Definition => ReportCatalog.Get(_kind);

    /// <summary>What is missing or wrong before a download makes sense (the same words the endpoint answers); null when ready.</summary>
    private string? Problem => _documentProblem ?? (Draft.Validate() is { } refusal ? Localizer.Refusal(refusal) : null);

    private ReportRequest Draft => new(
        _kind,
        Definition.NeedsBox ? _boxCode : null,
        Definition.NeedsPeriod && _from is { } from ? DateOnly.FromDateTime(from) : null,
        Definition.NeedsPeriod && _to is { } to ? DateOnly.FromDateTime(to) : null,
        Definition.NeedsDocument ? _document?.Id : null);

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        var available = new List<ReportOption>();
        foreach (var definition in ReportCatalog.All)
        {
            if ((await Authorization.AuthorizeAsync(user, ReportAccess.PolicyFor(definition.Kind))).Succeeded)
            {
                available.Add(new ReportOption(definition.Kind, Localizer[$"ReportKind.{definition.Kind}"]));
            }
        }
        _available = available;
        _kind = available.FirstOrDefault()?.Kind ?? default;
        _boxCodes = await Lookups.BoxCodesAsync();
        _boxCode = _boxCodes.FirstOrDefault();
        var today = Clock.Now.Date;
        (_from, _to) = (today, today);
    }

    private string KindName(ReportKind kind) => _available.FirstOrDefault(o => o.Kind == kind)?.Text ?? "";

    private void KindChanged(ReportKind kind)
    {
        _kind = kind;
        _documentProblem = null;
    }

    private async Task FindDocumentAsync()
    {
        _document = null;
        _documentProblem = null;
        var number = DocumentRules.NormalizeDocumentNumber(_documentNumber);
        if (!DocumentRules.IsValidDocumentNumber(number))
        {
            _documentProblem = Localizer["Reports.DocumentInvalid"];
            return;
        }
        var found = await Lookups.FindDocumentAsync(number);
        if (found is null)
        {
            _documentProblem = Localizer["Reports.DocumentNotFound"];
            return;
        }
        _document = new FoundDocument(found.Id,
            $"{DocumentTypes.GermanNames[found.Type]} {DocumentRules.MaskDocumentNumber(found.DocumentNumber)} ({found.BoxCode})");
    }

    private sealed record ReportOption(ReportKind Kind, string Text);

    private sealed record FoundDocument(Guid Id, string Text);
}
