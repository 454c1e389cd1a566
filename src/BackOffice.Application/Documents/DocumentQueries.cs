using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Documents;

/// <summary>The columns of the documents list that can be sorted (all) and filtered (the text and enum ones).</summary>
public enum DocumentColumn
{
    DocumentNumber,
    Type,
    BoxCode,
    State,
    CompartmentLabel,
    RegisteredAt,
    PickupDeadline,
}

/// <summary>
/// One row of the documents list. The number is masked when shown; holder names are for the counter.
/// Settable properties (not a positional record): EF can then sort and filter on them in SQL.
/// </summary>
public sealed class DocumentListRow
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

/// <summary>One line of a document's timeline, as the audit trail recorded it.</summary>
public sealed record TimelineLine(DateTimeOffset At, string State, string? Details, string Actor);

/// <summary>A document as its page shows it: facts (phone number masked), where it is, its timeline.</summary>
public sealed record DocumentDetails(
    Guid Id,
    DocumentType Type,
    string DocumentNumber,
    DocumentState State,
    string HolderName,
    string MaskedMobileNumber,
    DateTimeOffset? PersonalDataErasedAt,
    string ApplicationReference,
    string BoxCode,
    Guid? CompartmentId,
    string? CompartmentLabel,
    DateOnly? PickupDeadline,
    DateTimeOffset? ReturnedToCounterAt,
    DateTimeOffset? PinIssuedAt,
    DateTimeOffset? PickupLockedAt,
    string? BlockedReason,
    IReadOnlyList<TimelineLine> Timeline);

/// <summary>A document found by its number, e.g. to print its history.</summary>
public sealed record DocumentReference(Guid Id, DocumentType Type, string DocumentNumber, string BoxCode);

/// <summary>What the documents pages read: the list (paged, sorted and filtered in the database), one document, a search by number.</summary>
/// <remarks>Singleton; every call uses its own database context, so a Blazor circuit never holds one.</remarks>
public sealed class DocumentQueries(IApplicationDbContextFactory contextFactory)
{
    public async Task<GridPage<DocumentListRow>> ListAsync(GridRequest<DocumentColumn> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var query =
            from d in db.Documents.AsNoTracking()
            join b in db.Boxes on d.BoxId equals b.Id
            join c in db.Compartments on d.CompartmentId equals c.Id into compartments
            from c in compartments.DefaultIfEmpty()
            select new DocumentListRow
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
        foreach (var filter in request.Filters ?? [])
        {
            query = Filter(query, filter);
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await Sort(query, request.SortBy, request.Descending)
            .Skip(request.SafeSkip).Take(request.SafeTake)
            .ToListAsync(cancellationToken);
        return new GridPage<DocumentListRow>(rows, total);
    }

    /// <summary>The document with its box, compartment and timeline; null when there is none with this id.</summary>
    public async Task<DocumentDetails?> GetAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return null;
        }
        var boxCode = await db.Boxes.Where(b => b.Id == document.BoxId).Select(b => b.Code).FirstAsync(cancellationToken);
        var compartmentLabel = document.CompartmentId is { } compartment
            ? await db.Compartments.Where(c => c.Id == compartment).Select(c => c.Label).FirstAsync(cancellationToken)
            : null;
        // Read from the audit trail: what the document's timeline says is what the tamper-evident log says.
        var subject = AuditTrail.Document(documentId);
        var timeline = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Subject == subject && a.Action.StartsWith(AuditTrail.TimelinePrefix))
            .OrderBy(a => a.Sequence)
            .Select(a => new TimelineLine(a.At, a.Outcome, a.Details, a.Actor))
            .ToListAsync(cancellationToken);
        return new DocumentDetails(
            document.Id, document.Type, document.DocumentNumber, document.State, document.HolderName,
            document.PersonalDataErasedAt is null ? PhoneNumbers.Mask(document.MobileNumber) : "–",
            document.PersonalDataErasedAt, document.ApplicationReference, boxCode, document.CompartmentId, compartmentLabel,
            document.PickupDeadline, document.ReturnedToCounterAt, document.PinIssuedAt, document.PickupLockedAt, document.BlockedReason,
            timeline);
    }

    /// <summary>The latest document registered with this number (normalized first), or null.</summary>
    public async Task<DocumentReference?> FindByNumberAsync(string documentNumber, CancellationToken cancellationToken = default)
    {
        var number = DocumentRules.NormalizeDocumentNumber(documentNumber);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Documents.AsNoTracking()
            .Where(d => d.DocumentNumber == number)
            .OrderByDescending(d => d.RegisteredAt)
            .Select(d => new DocumentReference(d.Id, d.Type, d.DocumentNumber, db.Boxes.Where(b => b.Id == d.BoxId).Select(b => b.Code).First()))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static IQueryable<DocumentListRow> Filter(IQueryable<DocumentListRow> query, ColumnFilter<DocumentColumn> filter) => filter switch
    {
        { Column: DocumentColumn.DocumentNumber, Value: string text } => query.Where(TextFilters.For<DocumentListRow>(r => r.DocumentNumber, filter.Match, text)),
        { Column: DocumentColumn.BoxCode, Value: string text } => query.Where(TextFilters.For<DocumentListRow>(r => r.BoxCode, filter.Match, text)),
        { Column: DocumentColumn.CompartmentLabel, Value: string text } => query.Where(TextFilters.For<DocumentListRow>(r => r.CompartmentLabel, filter.Match, text)),
        { Column: DocumentColumn.Type, Value: DocumentType type, Match: FilterMatch.NotEqualTo } => query.Where(r => r.Type != type),
        { Column: DocumentColumn.Type, Value: DocumentType type } => query.Where(r => r.Type == type),
        { Column: DocumentColumn.State, Value: DocumentState state, Match: FilterMatch.NotEqualTo } => query.Where(r => r.State != state),
        { Column: DocumentColumn.State, Value: DocumentState state } => query.Where(r => r.State == state),
        _ => throw new ArgumentException($"The documents list cannot filter {filter.Column} by a {filter.Value.GetType().Name}.", nameof(filter)),
    };

    /// <summary>The chosen order, then the newest first (a stable order, so pages neither repeat nor skip rows).</summary>
    private static IQueryable<DocumentListRow> Sort(IQueryable<DocumentListRow> query, DocumentColumn? column, bool descending)
    {
        var sorted = column switch
        {
            DocumentColumn.DocumentNumber => By(query, r => r.DocumentNumber, descending),
            DocumentColumn.Type => By(query, r => r.Type, descending),
            DocumentColumn.BoxCode => By(query, r => r.BoxCode, descending),
            DocumentColumn.State => By(query, r => r.State, descending),
            DocumentColumn.CompartmentLabel => By(query, r => r.CompartmentLabel, descending),
            DocumentColumn.RegisteredAt => By(query, r => r.RegisteredAt, descending),
            DocumentColumn.PickupDeadline => By(query, r => r.PickupDeadline, descending),
            _ => query.OrderByDescending(r => r.RegisteredAt),
        };
        return sorted.ThenByDescending(r => r.RegisteredAt).ThenBy(r => r.Id);
    }

    private static IOrderedQueryable<DocumentListRow> By<TKey>(
        IQueryable<DocumentListRow> query, System.Linq.Expressions.Expression<Func<DocumentListRow, TKey>> key, bool descending) =>
        descending ? query.OrderByDescending(key) : query.OrderBy(key);
}
