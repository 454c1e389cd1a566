using BackOffice.Application.Abstractions;
using BackOffice.Application.Common;
using BackOffice.Application.Reports;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Audit;

/// <summary>
/// What a supervisor searches the audit trail for: office-time days (both included) and text contained in the actor,
/// action or subject (case-insensitive; % and _ are taken literally). The actor text also finds staff by their display
/// name; the subject text also finds a document by its number, a box (its own lines and its compartments') by its
/// code and a staff account by its holder's name.
/// </summary>
public sealed record AuditFilter(DateOnly? From = null, DateOnly? To = null, string? Actor = null, string? Action = null, string? Subject = null);

/// <summary>
/// One line of the audit trail as the audit log page lists it, with the actor as a person reads it
/// (<see cref="ReportNames.Actor"/>) and, for a document or staff account, what people call the subject (the document
/// number, the account holder's name).
/// </summary>
public sealed record AuditLine(long? Sequence, DateTimeOffset At, string Actor, string Action, string Subject, string Outcome, string? Details,
    string ActorName = "", string? SubjectName = null);

/// <summary>Searches the audit trail, newest first, a page at a time (filtered and paged in the database).</summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class AuditSearch(IApplicationDbContextFactory contextFactory, IStaffNames staffNames)
{
    private const string DocumentPrefix = "document:";
    private const string UserPrefix = "user:";

    public async Task<GridPage<AuditLine>> SearchAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var names = await staffNames.DisplayNamesAsync(cancellationToken);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (filter.From is { } from)
        {
            var start = OfficeClock.StartOfDay(from);
            query = query.Where(a => a.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = OfficeClock.StartOfDay(to.AddDays(1));
            query = query.Where(a => a.At < end);
        }
        if (TextFilters.ContainsPattern(filter.Actor) is { } actor)
        {
            var staff = StaffNamed(names, filter.Actor!).Select(AuditTrail.Staff).ToList();
            query = query.Where(a => EF.Functions.Like(a.Actor.ToLower(), actor, "\\") || staff.Contains(a.Actor));
        }
        if (TextFilters.ContainsPattern(filter.Action) is { } action)
        {
            query = query.Where(a => EF.Functions.Like(a.Action.ToLower(), action, "\\"));
        }
        if (TextFilters.ContainsPattern(filter.Subject) is { } subject)
        {
            var text = filter.Subject!.Trim();
            var exact = StaffNamed(names, text).Select(user => UserPrefix + user).ToList();
            var number = DocumentRules.NormalizeDocumentNumber(text);
            if (DocumentRules.IsValidDocumentNumber(number))
            {
                exact.AddRange((await db.Documents.AsNoTracking().Where(d => d.DocumentNumber == number).Select(d => d.Id)
                    .ToListAsync(cancellationToken)).Select(AuditTrail.Document));
            }
            var box = await db.Boxes.AsNoTracking().Where(b => b.Code.ToLower() == text.ToLower()).Select(b => b.Code)
                .FirstOrDefaultAsync(cancellationToken);
            if (box is not null)
            {
                exact.Add(AuditTrail.Box(box));
            }
            // A compartment's lines name it "compartment:<box>/<label>": the box's prefix, or nothing that can match.
            var compartments = box is null ? "\u0001" : $"compartment:{box}/%";
            query = query.Where(a => EF.Functions.Like(a.Subject.ToLower(), subject, "\\") || exact.Contains(a.Subject)
                || EF.Functions.Like(a.Subject, compartments));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(a => a.Id)
            .Skip(GridPaging.Skip(skip)).Take(GridPaging.Take(take))
            // The chain position; none for the moment between a line's commit and its linking.
            .Select(a => new AuditLine(db.AuditChain.Where(l => l.EntryId == a.Id).Select(l => (long?)l.Sequence).FirstOrDefault(),
                a.At, a.Actor, a.Action, a.Subject, a.Outcome, a.Details, "", null))
            .ToListAsync(cancellationToken);

        var documentIds = rows.Select(r => DocumentId(r.Subject)).OfType<Guid>().Distinct().ToList();
        var numbers = documentIds.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Documents.AsNoTracking().Where(d => documentIds.Contains(d.Id))
                .ToDictionaryAsync(d => d.Id, d => d.DocumentNumber, cancellationToken);
        var lines = rows.Select(r => r with
        {
            ActorName = ReportNames.Actor(r.Actor, names),
            SubjectName = DocumentId(r.Subject) is { } id ? numbers.GetValueOrDefault(id)
                : r.Subject.StartsWith(UserPrefix, StringComparison.Ordinal) ? names.GetValueOrDefault(r.Subject[UserPrefix.Length..])
                : null,
        }).ToList();
        return new GridPage<AuditLine>(lines, total);
    }

    /// <summary>User names of the staff whose display name contains the text (a handful of accounts: compared in memory).</summary>
    private static IEnumerable<string> StaffNamed(IReadOnlyDictionary<string, string> names, string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? [] : names.Where(n => n.Value.Contains(trimmed, StringComparison.CurrentCultureIgnoreCase)).Select(n => n.Key);
    }

    private static Guid? DocumentId(string subject) =>
        subject.StartsWith(DocumentPrefix, StringComparison.Ordinal) && Guid.TryParse(subject.AsSpan(DocumentPrefix.Length), out var id) ? id : null;
}
