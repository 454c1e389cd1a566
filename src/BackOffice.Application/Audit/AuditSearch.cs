using BackOffice.Application.Abstractions;
using BackOffice.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Audit;

/// <summary>
/// What a supervisor searches the audit trail for: office-time days (both included) and text contained in the actor,
/// action or subject (case-insensitive; % and _ are taken literally).
/// </summary>
public sealed record AuditFilter(DateOnly? From = null, DateOnly? To = null, string? Actor = null, string? Action = null, string? Subject = null);

/// <summary>One line of the audit trail as the audit log page lists it.</summary>
public sealed record AuditLine(long Sequence, DateTimeOffset At, string Actor, string Action, string Subject, string Outcome, string? Details);

/// <summary>Searches the audit trail, newest first, a page at a time (filtered and paged in the database).</summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class AuditSearch(IApplicationDbContextFactory contextFactory)
{
    public async Task<GridPage<AuditLine>> SearchAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
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
            query = query.Where(a => EF.Functions.Like(a.Actor.ToLower(), actor, "\\"));
        }
        if (TextFilters.ContainsPattern(filter.Action) is { } action)
        {
            query = query.Where(a => EF.Functions.Like(a.Action.ToLower(), action, "\\"));
        }
        if (TextFilters.ContainsPattern(filter.Subject) is { } subject)
        {
            query = query.Where(a => EF.Functions.Like(a.Subject.ToLower(), subject, "\\"));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(a => a.Sequence)
            .Skip(GridPaging.Skip(skip)).Take(GridPaging.Take(take))
            .Select(a => new AuditLine(a.Sequence, a.At, a.Actor, a.Action, a.Subject, a.Outcome, a.Details))
            .ToListAsync(cancellationToken);
        return new GridPage<AuditLine>(rows, total);
    }
}
