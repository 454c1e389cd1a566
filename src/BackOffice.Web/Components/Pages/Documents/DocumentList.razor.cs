using BackOffice.Application.Documents;
using BackOffice.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using Radzen;
using Radzen.Blazor;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>All documents, paged, sorted and filtered in the database (the grid never loads them all).</summary>
public partial class DocumentList
{
    private const int PageSize = 25;

    private RadzenDataGrid<DocumentListRow>? _grid;
    // Null until the first LoadData: the grid asks for data only while it has none.
    private IReadOnlyList<DocumentListRow>? _rows;
    private int _count;
    private bool _loading;

    [Inject]
    private DocumentQueries Documents { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
        try
        {
            var page = await Documents.ListAsync(args.ToGridRequest<DocumentColumn>(PageSize));
            (_rows, _count) = (page.Rows, page.Total);
        }
        finally
        {
            _loading = false;
        }
    }
}
