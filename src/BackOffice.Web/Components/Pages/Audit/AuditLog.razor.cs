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

    /// <summary>
    /// A subject such as "RateLimits:SignInPerAccount:PermitLimit" or "compartment:DLZ-1/03-07" is one long word: it may
    /// wrap after a colon or slash (never inside a word), so it cannot push the grid wider than the clerk's screen.
    /// </summary>
    private static RenderFragment BreakableAtSeparators(string text) => builder =>
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is ':' or '/' && i < text.Length - 1)
            {
                builder.AddContent(0, text[start..(i + 1)]);
                builder.AddMarkupContent(1, "<wbr>");
                start = i + 1;
            }
        }
        builder.AddContent(2, text[start..]);
    };

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
