using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Reports;

/// <summary>
/// Vernichtungsprotokoll: the old-ID bin emptyings of a box in a period, each counted by two staff members (four eyes)
/// and compared with the deposits the box reported, with totals and lines to sign the hand-over to destruction.
/// </summary>
internal sealed class DestructionProtocolReport : IReportBuilder
{
    public ReportKind Kind => ReportKind.DestructionProtocol;

    public async Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        var boxId = scope.Box.Id;
        var (start, end) = (scope.PeriodStart, scope.PeriodEnd);
        var emptyings = await scope.Db.BinEmptyings.AsNoTracking()
            .Where(e => e.BoxId == boxId && e.EmptiedAt >= start && e.EmptiedAt < end)
            .OrderBy(e => e.EmptiedAt)
            .ToListAsync(cancellationToken);

        var rows = emptyings.Select(e => new[]
        {
            ReportFormatting.Instant(e.EmptiedAt),
            ReportFormatting.Number(e.CountedDocuments),
            ReportFormatting.Number(e.ReportedDeposits),
            Signed(e.Difference),
            scope.StaffMember(e.RecordedBy),
            scope.StaffMember(e.WitnessedBy),
            e.Note ?? "",
        }).ToList();
        var counted = emptyings.Sum(e => e.CountedDocuments);
        var reported = emptyings.Sum(e => e.ReportedDeposits);
        return new ReportContent(
        [
            new ReportNote("Jede Leerung wurde von zwei Mitarbeiter/innen gezählt (Vier-Augen-Prinzip); „gemeldet“ ist die Zahl der " +
                "Einwürfe, die die Box seit der vorigen Leerung gemeldet hat."),
            new ReportTable("Leerungen des Altausweis-Behälters",
            [
                new("Geleert am", 2), ReportColumn.Number("Gezählt", 1), ReportColumn.Number("Gemeldet", 1.1), ReportColumn.Number("Differenz", 1.1),
                new("Erfasst von", 1.9), new("Bestätigt von", 1.9), new("Bemerkung", 2.6),
            ], rows, "Keine Leerungen im Zeitraum."),
            new ReportFacts("Summen",
            [
                new("Leerungen", ReportFormatting.Number(emptyings.Count)),
                new("Altausweise gezählt", ReportFormatting.Number(counted)),
                new("Von der Box gemeldet", ReportFormatting.Number(reported)),
                new("Differenz", Signed(counted - reported)),
            ], IsTotals: true),
            new ReportSignatures(
            [
                "Zur Vernichtung übergeben: Datum, Name, Unterschrift",
                "Vernichtung übernommen: Datum, Name, Unterschrift",
                "Geprüft (Teamleitung): Datum, Unterschrift",
            ]),
        ]);
    }

    private static string Signed(int value) => value > 0 ? "+" + ReportFormatting.Number(value) : ReportFormatting.Number(value);
}
