using BackOffice.Application.Documents;
using BackOffice.Application.Overdue;

namespace BackOffice.Application.Reports;

/// <summary>
/// Überfällige Dokumente: the overdue list of the counter (<see cref="OverdueDocuments"/>: one definition of overdue),
/// in compartment order so a clerk walks the box once, with a box to tick per document and a line to sign.
/// </summary>
internal sealed class OverdueDocumentsReport(OverdueDocuments overdueDocuments) : IReportBuilder
{
    public ReportKind Kind => ReportKind.OverdueDocuments;

    public async Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        var overdue = await overdueDocuments.ListAsync(scope.Box.Id, cancellationToken);
        var rows = overdue.Select(d => new[]
        {
            "",
            d.CompartmentLabel,
            DocumentTypes.GermanNames[d.Type],
            d.MaskedNumber,
            ReportFormatting.Date(d.Deadline),
            ReportFormatting.Number(d.DaysOverdue),
            d.ReminderSentAt is { } reminded ? ReportFormatting.Instant(reminded) : "–",
            d.Retrieving ? "wird zurückgeholt" : "",
        }).ToList();
        return new ReportContent(
        [
            new ReportTable("Zu entnehmende Dokumente",
            [
                ReportColumn.Checkbox("Entn."), new("Fach", 0.9), new("Dokumentart", 2), new("Dokumentnr.", 1.9), new("Abholfrist", 1.5),
                ReportColumn.Number("Tage über Frist", 1.3), new("Erinnert am", 2.1), new("Hinweis", 1.8),
            ], rows, "Keine überfälligen Dokumente."),
            new ReportFacts("Summen",
            [
                new("Überfällige Dokumente", ReportFormatting.Number(rows.Count)),
                new("Fächer", ReportFormatting.Number(overdue.Select(d => d.CompartmentId).Distinct().Count())),
            ], IsTotals: true),
            new ReportSignatures(["Entnommen am, Uhrzeit", "Name, Unterschrift"]),
        ],
            Period: $"Stichtag {ReportFormatting.Date(scope.Today)}: Abholfrist vor diesem Tag abgelaufen");
    }
}
