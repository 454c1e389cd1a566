using BackOffice.Application.Documents;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Reports;

/// <summary>Belegungsbericht: the box right now, compartments counted by state and size, and the occupied ones listed.</summary>
internal sealed class OccupancyReport : IReportBuilder
{
    public ReportKind Kind => ReportKind.Occupancy;

    public async Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        var boxId = scope.Box.Id;
        var compartments = await scope.Db.Compartments.AsNoTracking()
            .Where(c => c.BoxId == boxId)
            .OrderBy(c => c.Module).ThenBy(c => c.Row)
            .Select(c => new { c.Id, c.Label, c.Size, c.State, c.Accessible, c.OutOfServiceReason })
            .ToListAsync(cancellationToken);
        var documents = (await scope.Db.Documents.AsNoTracking()
                .Where(d => d.BoxId == boxId)
                .Where(InCompartment.Document)
                .Select(d => new { CompartmentId = d.CompartmentId!.Value, d.DocumentNumber, d.ReadyAt, d.PickupDeadline })
                .ToListAsync(cancellationToken))
            .ToLookup(d => d.CompartmentId);
        var today = scope.Today;

        var sizes = Enum.GetValues<CompartmentSize>();
        var countColumns = new List<ReportColumn> { new("Zustand", 3) };
        countColumns.AddRange(sizes.Select(s => ReportColumn.Number($"Größe {ReportNames.CompartmentSizes[s]}", 1)));
        countColumns.Add(ReportColumn.Number("Summe", 1));
        var countRows = Enum.GetValues<CompartmentState>()
            .Select(state => Counts(ReportNames.CompartmentStates[state], compartments.Where(c => c.State == state).Select(c => c.Size).ToList()))
            .Append(Counts("Summe", compartments.Select(c => c.Size).ToList()))
            .ToList();
        string[] Counts(string label, List<CompartmentSize> found) =>
            [label, .. sizes.Select(s => ReportFormatting.Number(found.Count(f => f == s))), ReportFormatting.Number(found.Count)];

        var occupied = compartments.Where(c => c.State is CompartmentState.Occupied or CompartmentState.ReservedForLoading).ToList();
        var occupiedRows = occupied.Select(c =>
        {
            var inside = documents[c.Id].ToList();
            var overdue = inside.Any(d => d.PickupDeadline < today);
            return new[]
            {
                c.Label,
                ReportNames.CompartmentSizes[c.Size],
                c.Accessible ? "ja" : "nein",
                ReportNames.CompartmentStates[c.State],
                string.Join(", ", inside.Select(d => DocumentRules.MaskDocumentNumber(d.DocumentNumber))),
                ReportFormatting.Instant(inside.Min(d => d.ReadyAt)),
                ReportFormatting.Date(inside.Min(d => d.PickupDeadline)),
                overdue ? "überfällig" : "",
            };
        }).ToList();
        var outOfService = compartments.Where(c => c.State == CompartmentState.OutOfService)
            .Select(c => new[] { c.Label, ReportNames.CompartmentSizes[c.Size], c.OutOfServiceReason ?? "" })
            .ToList();

        var documentCount = documents.Sum(g => g.Count());
        var overdueCount = documents.Sum(g => g.Count(d => d.PickupDeadline < today));
        var occupancy = compartments.Count == 0 ? 0 : (double)occupied.Count / compartments.Count;
        return new ReportContent(
        [
            new ReportTable("Fächer nach Zustand und Größe", countColumns, countRows, "Die Box hat keine Fächer."),
            new ReportTable("Belegte Fächer",
            [
                new("Fach", 1), new("Größe", 0.9), new("Barrierefrei", 1.5), new("Zustand", 2.2), new("Dokumente", 3),
                new("Abholbereit seit", 2.3), new("Abholfrist", 1.5), new("Hinweis", 1.4),
            ], occupiedRows, "Kein Fach ist belegt."),
            new ReportTable("Fächer außer Betrieb", [new("Fach", 1), new("Größe", 1), new("Grund", 6)], outOfService, "Alle Fächer sind in Betrieb."),
            new ReportFacts("Summen",
            [
                new("Fächer gesamt", ReportFormatting.Number(compartments.Count)),
                new("Belegt oder reserviert", ReportFormatting.Number(occupied.Count)),
                new("Frei", ReportFormatting.Number(compartments.Count(c => c.State == CompartmentState.Free))),
                new("Außer Betrieb", ReportFormatting.Number(outOfService.Count)),
                new("Belegungsquote", ReportFormatting.Percent(occupancy)),
                new("Dokumente in Fächern", ReportFormatting.Number(documentCount)),
                new("davon überfällig", ReportFormatting.Number(overdueCount)),
            ], IsTotals: true),
        ]);
    }
}
