using BackOffice.Application.Abstractions;
using BackOffice.Domain.Documents;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Radzen;
using Radzen.Blazor;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>
/// One row of the documents grid. The number is masked when shown; holder names are for the counter.
/// Settable properties (not a positional record): EF can then sort and filter on them in SQL.
/// </summary>
public sealed class DocumentRow
{
    public Guid Id { get; init; }
    public DocumentType Type { get; init; }
    public string DocumentNumber { get; init; } = "";
    public string HolderName { get; init; } = "";
    public string BoxCode { get; init; } = "";
    public DocumentState State { get; init; }
    public string? CompartmentLabel { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public DateOnly? PickupDeadline { get; init; }
}

/// <summary>All documents, paged, sorted and filtered in the database (the grid never loads them all).</summary>
public partial class DocumentList
{
    private RadzenDataGrid<DocumentRow>? _grid;
    // Null until the first LoadData: the grid asks for data only while it has none.
    private IReadOnlyList<DocumentRow>? _rows;
    private int _count;
    private bool _loading;

    [Inject]
    private IApplicationDbContextFactory ContextFactory { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private async Task LoadAsync(LoadDataArgs args)
    {
        _loading = true;
        await using var db = await ContextFactory.CreateAsync();
        var query =
            from d in db.Documents.AsNoTracking()
            join b in db.Boxes on d.BoxId equals b.Id
            join c in db.Compartments on d.CompartmentId equals c.Id into compartments
            from c in compartments.DefaultIfEmpty()
            select new DocumentRow
            {
                Id = d.Id,
                Type = d.Type,
                DocumentNumber = d.DocumentNumber,
                HolderName = d.HolderName,
                BoxCode = b.Code,
                State = d.State,
                CompartmentLabel = c.Label,
                RegisteredAt = d.RegisteredAt,
                PickupDeadline = d.PickupDeadline,
            };
        // Only filters the clerk actually set: an untouched column filter arrives without a value.
        var filters = (args.Filters ?? []).Where(f => f.FilterValue is not null && f.FilterValue as string != "").ToList();
        if (filters.Count > 0)
        {
            query = query.Where(filters, LogicalFilterOperator.And, FilterCaseSensitivity.CaseInsensitive);
        }
        query = string.IsNullOrEmpty(args.OrderBy) ? query.OrderByDescending(r => r.RegisteredAt) : query.OrderBy(args.OrderBy);
        _count = await query.CountAsync();
        _rows = await query.Skip(args.Skip ?? 0).Take(args.Top ?? 25).ToListAsync();
        _loading = false;
    }
}
