using BackOffice.Application.Abstractions;
using BackOffice.Domain.Audit;

namespace BackOffice.Application.Audit;

/// <summary>Adds audit lines to the same unit of work as the change they describe, so both are saved or neither.</summary>
public sealed class AuditTrail(TimeProvider timeProvider)
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

    private static string Truncate(string value, int max = AuditEntry.TextMaxLength) => value.Length <= max ? value : value[..max];
}
