using BackOffice.Application.Audit;
using Microsoft.AspNetCore.Components;
using Radzen;
using Radzen.Blazor;

namespace BackOffice.Web.Components.Pages.Audit;

/// <summary>The audit trail for supervisors: search by period, actor, action and subject, newest first; check the chain.</summary>
public partial class AuditLog
{
    private const int PageSize = 50;

    private RadzenDataGrid<AuditLine>? _grid;
    // Null until the first LoadData: the grid asks for data only while it has none.
    private IReadOnlyList<AuditLine>? _rows;
    private int _count;
    private bool _loading;
    private bool _verifying;
    private DateOnly? _from;
    private DateOnly? _to;
    private string? _actor;
    private string? _action;
    private string? _subject;
    private AuditChainCheck? _check;

    [Inject]
    private AuditSearch Search { get; set; } = default!;

    [Inject]
    private AuditChain Chain { get; set; } = default!;

    private async Task SearchAsync()
    {
        if (_grid is not null)
        {
            await _grid.FirstPage(forceReload: true);
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

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
        try
        {
            var page = await Search.SearchAsync(new AuditFilter(_from, _to, _actor, _action, _subject), args.Skip ?? 0, args.Top ?? PageSize);
            (_rows, _count) = (page.Rows, page.Total);
        }
        finally
        {
            _loading = false;
        }
    }
}
