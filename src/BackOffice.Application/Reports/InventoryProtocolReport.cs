using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Reports;

/// <summary>
/// Bestandsprotokoll: every inventory (Inventur) of a box started in a period, each as a whole run: who started it and
/// when, its state, and every compartment with the documents expected inside (masked numbers), what was found, who checked
/// it and how a discrepancy was settled; totals and signature lines at the end.
/// </summary>
internal sealed class InventoryProtocolReport : IReportBuilder
{
    private static readonly Dictionary<InventoryStatus, string> Statuses = new()
    {
        [InventoryStatus.Running] = "läuft",
        [InventoryStatus.Paused] = "angehalten",
        [InventoryStatus.Finished] = "abgeschlossen",
        [InventoryStatus.Cancelled] = "vorzeitig beendet",
    };

    public ReportKind Kind => ReportKind.InventoryProtocol;

    public async Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        var boxId = scope.Box.Id;
        var (start, end) = (scope.PeriodStart, scope.PeriodEnd);
        var runs = await scope.Db.Inventories.AsNoTracking()
            .Where(i => i.BoxId == boxId && i.StartedAt >= start && i.StartedAt < end)
            .OrderBy(i => i.StartedAt)
            .ToListAsync(cancellationToken);
        var ids = runs.SelectMany(r => r.Items).SelectMany(i => i.ExpectedDocumentIds).Distinct().ToList();
        var numbers = await scope.Db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.DocumentNumber, cancellationToken);

        var blocks = new List<ReportBlock>
        {
            new ReportNote("Jedes belegte Fach wurde als Service-Öffnung „Inventur“ geöffnet; das nächste erst, nachdem die Box die Tür " +
                "als geschlossen gemeldet hatte. Dokumentnummern sind maskiert."),
        };
        if (runs.Count == 0)
        {
            blocks.Add(new ReportNote("Keine Inventur im Zeitraum."));
        }
        foreach (var run in runs)
        {
            var items = run.Items.OrderBy(i => i.Order).ToList();
            blocks.Add(new ReportFacts($"Inventur vom {ReportFormatting.Instant(run.StartedAt)}",
            [
                new("Umfang", run.Module is { } module ? $"Modul {module}" : "ganze Box"),
                new("Begonnen von", scope.Actor(run.StartedBy)),
                new("Status", Statuses[run.Status] + (run.PauseReason is { } reason ? $" ({reason})" : "")),
                new("Beendet am", ReportFormatting.Instant(run.EndedAt)),
            ]));
            blocks.Add(new ReportTable("Fächer",
            [
                new("Fach", 0.8), new("Erwartet", 2.0), new("Befund", 2.1), new("Geprüft", 2.0), new("Durch", 1.8), new("Klärung", 2.6),
            ], items.Select(i => new[]
            {
                i.CompartmentLabel,
                i.ExpectedDocumentIds.Count == 0 ? "–"
                    : string.Join(", ", i.ExpectedDocumentIds.Select(id => numbers.TryGetValue(id, out var n) ? DocumentRules.MaskDocumentNumber(n) : "?")),
                Finding(i),
                ReportFormatting.Instant(i.CheckedAt),
                i.CheckedBy is { } by ? scope.Actor(by) : "",
                Settlement(i, scope),
            }).ToList(), "Keine Fächer."));
        }
        var all = runs.SelectMany(r => r.Items).ToList();
        blocks.Add(new ReportFacts("Summen",
        [
            new("Inventuren", ReportFormatting.Number(runs.Count)),
            new("Fächer geprüft", ReportFormatting.Number(all.Count(i => i.Finding is not null))),
            new("Vorhanden", ReportFormatting.Number(all.Count(i => i.Finding == InventoryFinding.Present))),
            new("Abweichungen", ReportFormatting.Number(all.Count(i => i.IsDiscrepancy))),
            new("Davon offen", ReportFormatting.Number(all.Count(i => i.IsDiscrepancy && i.Resolution is null))),
            new("Nicht geöffnet oder nicht geprüft", ReportFormatting.Number(all.Count(i => i.Finding is null))),
        ], IsTotals: true));
        blocks.Add(new ReportSignatures(["Inventur durchgeführt: Datum, Name, Unterschrift", "Geprüft (Teamleitung): Datum, Unterschrift"]));
        return new ReportContent(blocks);
    }

    private static string Finding(InventoryItem item) => item switch
    {
        { Status: InventoryItemStatus.NotOpened } => $"nicht geöffnet: {item.Note}",
        { Finding: InventoryFinding.Present } => "vorhanden",
        { Finding: InventoryFinding.Empty } => "leer",
        { Finding: InventoryFinding.WrongDocument } => $"falsches Dokument {DocumentRules.MaskDocumentNumber(item.FoundDocumentNumber ?? "")}",
        _ => "nicht geprüft",
    };

    private static string Settlement(InventoryItem item, ReportScope scope) => item.Resolution switch
    {
        InventoryResolution.ReportedMissing => $"als vermisst gemeldet ({scope.Actor(item.ResolvedBy!)}, {ReportFormatting.Instant(item.ResolvedAt)})",
        InventoryResolution.BackToCounter => $"zurück am Schalter ({scope.Actor(item.ResolvedBy!)}, {ReportFormatting.Instant(item.ResolvedAt)})",
        _ => item.IsDiscrepancy ? "offen" : "",
    };
}
