using BackOffice.Application.Abstractions;
using BackOffice.Domain.Audit;
using BackOffice.Domain.Documents;

namespace BackOffice.Application.Audit;

/// <summary>Adds audit lines to the same unit of work as the change they describe, so both are saved or neither.</summary>
public sealed class AuditTrail(TimeProvider timeProvider, IApplicationDbContextFactory contextFactory)
{
    public const string System = "system";

    public static string Staff(string userName) => $"staff:{userName}";

    public static string Box(string code) => $"box:{code}";

    /// <summary>The name in an actor ("staff:jana@…" → "jana@…"), for people reading a list.</summary>
    public static string NameOf(string actor) => actor.StartsWith("staff:", StringComparison.Ordinal) ? actor["staff:".Length..] : actor;

    public void Record(IApplicationDbContext db, string actor, string action, string subject, string outcome, string? details = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = timeProvider.GetUtcNow(),
            Actor = Truncate(actor),
            Action = Truncate(action),
            Subject = Truncate(subject),
            Outcome = Truncate(outcome),
            Details = details is null ? null : Truncate(details, 2000),
        });

    /// <summary>Action prefix of the audit lines that make up a document's timeline.</summary>
    public const string TimelinePrefix = "timeline.";

    /// <summary>
    /// Adds a line to a document's timeline: the event (its kind and compartment, for reports and statistics) and the
    /// audit line the timeline is read from, in the caller's unit of work.
    /// </summary>
    public static void AddTimeline(IApplicationDbContext db, DocumentEvent documentEvent)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(documentEvent);
        db.DocumentEvents.Add(documentEvent);
        db.AuditEntries.Add(new AuditEntry
        {
            At = documentEvent.At,
            Actor = Truncate(documentEvent.Actor),
            Action = TimelinePrefix + documentEvent.Kind,
            Subject = Document(documentEvent.DocumentId),
            Outcome = documentEvent.State.ToString(),
            Details = Truncate(documentEvent.Note, 2000),
        });
    }

    public static string Document(Guid id) => $"document:{id}";

    /// <summary>Writes one line on its own, for events that change nothing else (a sign-in, a printed report).</summary>
    public async Task WriteAsync(string actor, string action, string subject, string outcome, string? details = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        Record(db, actor, action, subject, outcome, details);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Truncate(string value, int max = AuditEntry.TextMaxLength) => value.Length <= max ? value : value[..max];
}
