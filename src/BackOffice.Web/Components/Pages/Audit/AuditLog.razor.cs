using BackOffice.Application.Audit;
using BackOffice.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Audit;

/// <summary>
/// The audit trail for supervisors: search by period, who (a name), what (an action by its German name) and about
/// what (a document number, a box, a person), newest first, paged in the database; check the chain.
/// </summary>
public partial class AuditLog
{
    private const int PageSize = 50;

    private MudDataGrid<AuditLine>? _grid;
    private IReadOnlyList<KeyValuePair<string, string>> _actions = [];
    private bool _verifying;
    private DateTime? _from;
    private DateTime? _to;
    private string? _actor;
    private string? _action;
    private string? _subject;
    private AuditChainCheck? _check;

    [Inject]
    private AuditSearch Search { get; set; } = default!;

    [Inject]
    private AuditChain Chain { get; set; } = default!;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    protected override void OnInitialized() => _actions = AuditTexts.Choices(Localizer);

    private async Task SearchAsync()
    {
        if (_grid is not null)
        {
            // Back to the first page: the old page number may lie beyond the new result.
            _grid.NavigateTo(Page.First);
            await _grid.ReloadServerData();
        }
    }

    private async Task VerifyAsync()
    {
        _verifying = true;
        try
        {
            _check = await Chain.VerifyAsync();
        }
        finally
        {
            _verifying = false;
        }
    }

    private async Task<GridData<AuditLine>> LoadAsync(GridState<AuditLine> state, CancellationToken cancellationToken)
    {
        var filter = new AuditFilter(
            _from is { } from ? DateOnly.FromDateTime(from) : null,
            _to is { } to ? DateOnly.FromDateTime(to) : null,
            _actor, _action, _subject);
        var page = await Search.SearchAsync(filter, state.Page * state.PageSize, state.PageSize, cancellationToken);
        return page.ToGridData();
    }

    private static string? DocumentLink(AuditLine line) =>
        line.SubjectName is not null && line.Subject.StartsWith("document:", StringComparison.Ordinal)
            ? $"dokumente/{line.Subject["document:".Length..]}"
            : null;
}
