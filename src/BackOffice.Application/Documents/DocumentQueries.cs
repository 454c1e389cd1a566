using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
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
    public string ApplicationReference { get; init; } = "";
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
    IReadOnlyList<TimelineLine> Timeline)
{
    /// <summary>When the citizen took it out of the box (the handover), if they did.</summary>
    public DateTimeOffset? PickedUpAt { get; init; }

    /// <summary>When the gateway took the SMS with the current PIN; null while it waits in the outbox (or there is none).</summary>
    public DateTimeOffset? PinSmsSentAt { get; init; }

    /// <summary>Refused pickup attempts since the last success or since a clerk lifted the lock.</summary>
    public int FailedPickupAttempts { get; init; }

    /// <summary>The person authorised to collect it (Vollmacht), with the number masked; null without one.</summary>
    public AuthorizedPersonDetails? AuthorizedPerson { get; init; }

    /// <summary>The handover was to the authorised person.</summary>
    public bool PickedUpByAuthorizedPerson { get; init; }

    /// <summary>How often a clerk extended the pickup deadline.</summary>
    public int DeadlineExtensions { get; init; }
}

/// <summary>An authorised person as the document's page shows them: name, birth date, masked number, what authorised them.</summary>
public sealed record AuthorizedPersonDetails(string Name, DateOnly? DateOfBirth, string MaskedMobileNumber, AuthorizationProof? Proof, DateTimeOffset? Since);

/// <summary>A document found by its number, e.g. to print its history.</summary>
public sealed record DocumentReference(Guid Id, DocumentType Type, string DocumentNumber, string BoxCode);

/// <summary>What the documents pages read: the list (paged, sorted and filtered in the database), one document, a search by number.</summary>
/// <remarks>Singleton; every call uses its own database context, so a Blazor circuit never holds one.</remarks>
public sealed class DocumentQueries(IApplicationDbContextFactory contextFactory)
{
    public Task<GridPage<DocumentListRow>> ListAsync(GridRequest<DocumentColumn> request, CancellationToken cancellationToken = default) =>
        ListAsync(request, null, cancellationToken);

    /// <summary>
    /// The list, narrowed by <paramref name="search"/> when given: a document number or Antragsnummer (part of it, in SQL),
    /// or a part of the holder's name. Names are encrypted at rest (decision 0013), so the database cannot compare them:
    /// the names of the rows the column filters leave are decrypted and matched here, and only the matching ids go back
    /// to the database for sorting and paging.
    /// </summary>
    public async Task<GridPage<DocumentListRow>> ListAsync(
        GridRequest<DocumentColumn> request, string? search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var query = Rows(db);
        foreach (var filter in request.Filters ?? [])
        {
            query = Filter(query, filter);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var text = search.Trim();
            var lowered = text.ToLowerInvariant();
            var number = DocumentRules.NormalizeDocumentNumber(text).ToLowerInvariant();
            var byName = (await query.Where(r => r.HolderName != "").Select(r => new { r.Id, r.HolderName }).ToListAsync(cancellationToken))
                .Where(r => r.HolderName.Contains(text, StringComparison.CurrentCultureIgnoreCase))
                .Select(r => r.Id)
                .ToList();
            query = query.Where(r => byName.Contains(r.Id)
                || (number != "" && r.DocumentNumber.ToLower().Contains(number))
                || r.ApplicationReference.ToLower().Contains(lowered));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await Sort(query, request.SortBy, request.Descending)
            .Skip(request.SafeSkip).Take(request.SafeTake)
            .ToListAsync(cancellationToken);
        return new GridPage<DocumentListRow>(rows, total);
    }

    private static IQueryable<DocumentListRow> Rows(IApplicationDbContext db) =>
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
                ApplicationReference = d.ApplicationReference,
            };

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
            .OrderBy(a => a.Id)
            .Select(a => new TimelineLine(a.At, a.Outcome, a.Details, a.Actor))
            .ToListAsync(cancellationToken);
        return new DocumentDetails(
            document.Id, document.Type, document.DocumentNumber, document.State, document.HolderName,
            document.PersonalDataErasedAt is null ? PhoneNumbers.Mask(document.MobileNumber) : "–",
            document.PersonalDataErasedAt, document.ApplicationReference, boxCode, document.CompartmentId, compartmentLabel,
            document.PickupDeadline, document.ReturnedToCounterAt, document.PinIssuedAt, document.PickupLockedAt, document.BlockedReason,
            timeline)
        {
            PickedUpAt = document.PickedUpAt,
            PinSmsSentAt = await PinSmsSentAtAsync(db, document, cancellationToken),
            FailedPickupAttempts = document.FailedPickupAttempts,
            AuthorizedPerson = document.AuthorizedName is { } name
                ? new AuthorizedPersonDetails(name, document.AuthorizedDateOfBirth, PhoneNumbers.Mask(document.AuthorizedMobileNumber ?? ""),
                    document.AuthorizationProof, document.AuthorizedAt)
                : null,
            PickedUpByAuthorizedPerson = document.PickedUpByAuthorizedPerson,
            DeadlineExtensions = document.DeadlineExtensions,
        };
    }

    /// <summary>
    /// When the SMS with the document's current PIN went out. A household's PIN SMS is queued under the first document
    /// of each mobile number, so the household's other documents (same loading) count too.
    /// </summary>
    private static async Task<DateTimeOffset?> PinSmsSentAtAsync(IApplicationDbContext db, Domain.Documents.Document document, CancellationToken cancellationToken)
    {
        if (document.PinIssuedAt is not { } issued)
        {
            return null;
        }
        var household = document.LoadId is { } loadId
            ? db.Documents.Where(d => d.LoadId == loadId).Select(d => (Guid?)d.Id)
            : db.Documents.Where(d => d.Id == document.Id).Select(d => (Guid?)d.Id);
        return await db.OutgoingSms.AsNoTracking()
            .Where(m => household.Contains(m.DocumentId) && m.CreatedAt >= issued
                && (m.Purpose == SmsPurpose.ReadyForPickup || m.Purpose == SmsPurpose.PinReissued))
            .OrderByDescending(m => m.CreatedAt)
            .Select(m => m.SentAt)
            .FirstOrDefaultAsync(cancellationToken);
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
