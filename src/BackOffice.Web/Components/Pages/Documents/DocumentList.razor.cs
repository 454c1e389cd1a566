using BackOffice.Application.Boxes;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>All documents, paged, sorted and filtered in the database (the grid never loads them all), with one search field.</summary>
public partial class DocumentList
{
    private const int PageSize = 25;

    private MudDataGrid<DocumentListRow>? _grid;
    private string? _search;
    private DocumentState? _state;
    private string? _box;
    private IReadOnlyList<string> _boxCodes = [];

    [Inject]
    private DocumentQueries Documents { get; set; } = default!;

    [Inject]
    private BoxAdministration Boxes { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _boxCodes = (await Boxes.ListAsync()).Select(b => b.Code).ToList();

    /// <summary>The grid's page and sort with the toolbar's filters; a superseded request is cancelled by the grid.</summary>
    private async Task<GridData<DocumentListRow>> LoadAsync(GridState<DocumentListRow> state, CancellationToken cancellationToken)
    {
        var request = state.ToGridRequest<DocumentListRow, DocumentColumn>();
        var filters = new List<ColumnFilter<DocumentColumn>>(request.Filters ?? []);
        if (_state is { } documentState)
        {
            filters.Add(new ColumnFilter<DocumentColumn>(DocumentColumn.State, FilterMatch.EqualTo, documentState));
        }
        if (_box is { Length: > 0 } box)
        {
            filters.Add(new ColumnFilter<DocumentColumn>(DocumentColumn.BoxCode, FilterMatch.EqualTo, box));
        }
        var page = await Documents.ListAsync(request with { Filters = filters }, _search, cancellationToken);
        return page.ToGridData();
    }

    private Task SearchAsync(string? search)
    {
        _search = search;
        return ReloadAsync();
    }

    private Task StateAsync(DocumentState? state)
    {
        _state = state;
        return ReloadAsync();
    }

    private Task BoxAsync(string? box)
    {
        _box = box;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;
}
