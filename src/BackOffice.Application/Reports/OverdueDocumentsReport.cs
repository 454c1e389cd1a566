using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Reports;

/// <summary>
/// Überfällige Dokumente: ready documents whose last pickup day (box-local) has passed, in compartment order (module,
/// then row) so a clerk walks the box once, with a box to tick per document and a line to sign.
/// </summary>
internal sealed class OverdueDocumentsReport : IReportBuilder
{
    public ReportKind Kind => ReportKind.OverdueDocuments;

    public async Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        var boxId = scope.Box.Id;
        var today = scope.Today;
        var overdue = await scope.Db.Documents.AsNoTracking()
            .Where(d => d.BoxId == boxId && d.State == DocumentState.ReadyForPickup && d.PickupDeadline < today)
            .Join(scope.Db.Compartments, d => d.CompartmentId, c => c.Id, (d, c) => new
            {
                c.Label, c.Module, c.Row, d.Type, d.DocumentNumber, d.ReadyAt, Deadline = d.PickupDeadline!.Value, d.BlockedReason, d.PickupLockedAt,
            })
            .OrderBy(x => x.Module).ThenBy(x => x.Row).ThenBy(x => x.DocumentNumber)
            .ToListAsync(cancellationToken);

        var rows = overdue.Select(d => new[]
        {
            "",
            d.Label,
            DocumentTypes.GermanNames[d.Type],
            DocumentRules.MaskDocumentNumber(d.DocumentNumber),
            ReportFormatting.Instant(d.ReadyAt),
            ReportFormatting.Date(d.Deadline),
            ReportFormatting.Number(today.DayNumber - d.Deadline.DayNumber),
            d.BlockedReason is not null ? "gesperrt" : d.PickupLockedAt is not null ? "PIN-Sperre" : "",
        }).ToList();
        return new ReportContent(
        [
            new ReportTable("Zu entnehmende Dokumente",
            [
                ReportColumn.Checkbox("Entn."), new("Fach", 0.9), new("Dokumentart", 2), new("Dokumentnr.", 2), new("Abholbereit seit", 2.2),
                new("Abholfrist", 1.5), ReportColumn.Number("Tage über Frist", 1.3), new("Hinweis", 1.3),
            ], rows, "Keine überfälligen Dokumente."),
            new ReportFacts("Summen",
            [
                new("Überfällige Dokumente", ReportFormatting.Number(rows.Count)),
                new("Fächer", ReportFormatting.Number(overdue.Select(d => d.Label).Distinct().Count())),
            ], IsTotals: true),
            new ReportSignatures(["Entnommen am, Uhrzeit", "Name, Unterschrift"]),
        ],
            Period: $"Stichtag {ReportFormatting.Date(today)}: Abholfrist vor diesem Tag abgelaufen");
    }
}
