using BackOffice.Application.Abstractions;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Overdue;

/// <summary>An overdue document as the counter sees it: where it is and since when it waits (number masked).</summary>
public sealed record OverdueDocument(
    Guid DocumentId, Guid CompartmentId, string BoxCode, string CompartmentLabel, DocumentType Type, string MaskedNumber,
    string HolderName, DateOnly Deadline, int DaysOverdue, DateTimeOffset? ReminderSentAt, bool Retrieving);

/// <summary>
/// Documents still in the box after their pickup deadline (the box's local date), ordered by box and compartment so
/// a clerk can walk the box once to retrieve them.
/// </summary>
public sealed class OverdueDocuments(IApplicationDbContextFactory contextFactory, TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<OverdueDocument>> ListAsync(Guid? boxId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var boxes = await db.Boxes.AsNoTracking()
            .Where(b => boxId == null || b.Id == boxId)
            .Select(b => new { b.Id, b.Code, b.TimeZoneId })
            .ToListAsync(cancellationToken);
        var result = new List<OverdueDocument>();
        foreach (var box in boxes.OrderBy(b => b.Code, StringComparer.Ordinal))
        {
            var today = PickupDeadlines.LocalDate(now, box.TimeZoneId);
            var rows = await db.Documents.AsNoTracking()
                .Where(d => d.BoxId == box.Id && d.PickupDeadline < today
                    && (d.State == DocumentState.ReadyForPickup || d.State == DocumentState.Retrieving))
                .Join(db.Compartments.AsNoTracking(), d => d.CompartmentId, c => c.Id, (d, c) => new { Document = d, Compartment = c })
                .OrderBy(x => x.Compartment.Module).ThenBy(x => x.Compartment.Row).ThenBy(x => x.Document.DocumentNumber)
                .Select(x => new
                {
                    x.Document.Id, CompartmentId = x.Compartment.Id, x.Compartment.Label, x.Document.Type, x.Document.DocumentNumber,
                    x.Document.HolderName, x.Document.PickupDeadline, x.Document.ReminderSentAt, x.Document.State,
                })
                .ToListAsync(cancellationToken);
            result.AddRange(rows.Select(r => new OverdueDocument(
                r.Id, r.CompartmentId, box.Code, r.Label, r.Type, DocumentRules.MaskDocumentNumber(r.DocumentNumber), r.HolderName,
                r.PickupDeadline!.Value, today.DayNumber - r.PickupDeadline.Value.DayNumber, r.ReminderSentAt, r.State == DocumentState.Retrieving)));
        }
        return result;
    }
}
