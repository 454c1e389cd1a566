using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Reports;

/// <summary>
/// Tagesjournal: what happened at a box in a period (box-local days): every loading, pickup, retrieval, PIN reissue and
/// deadline extension of its documents (timeline lines of those kinds) and every service opening, in time order, with compartment, masked
/// document number and who did it (a pickup by an authorised person says so); counts per day (for a longer period) and in total at the end.
/// </summary>
internal sealed class DailyJournalReport : IReportBuilder
{
    private static readonly DocumentEventKind[] Kinds =
        [DocumentEventKind.Loaded, DocumentEventKind.PickedUp, DocumentEventKind.Retrieved, DocumentEventKind.PinReissued, DocumentEventKind.DeadlineExtended];

    /// <summary>The journal's kinds of entry, in the order the totals list them: singular for a line, plural for a count.</summary>
    private static readonly (EntryType Type, string One, string Many)[] EntryTypes =
    [
        (EntryType.Loaded, "Einlage", "Einlagen"),
        (EntryType.PickedUp, "Abholung", "Abholungen"),
        (EntryType.Retrieved, "Rückholung", "Rückholungen"),
        (EntryType.PinReissued, "PIN-Neuvergabe", "PIN-Neuvergaben"),
        (EntryType.DeadlineExtended, "Fristverlängerung", "Fristverlängerungen"),
        (EntryType.ServiceOpening, "Service-Öffnung", "Service-Öffnungen"),
    ];

    private enum EntryType
    {
        Loaded,
        PickedUp,
        Retrieved,
        PinReissued,
        DeadlineExtended,
        ServiceOpening,
    }

    public ReportKind Kind => ReportKind.DailyJournal;

    public async Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        var boxId = scope.Box.Id;
        var (start, end) = (scope.PeriodStart, scope.PeriodEnd);
        var events = await scope.Db.DocumentEvents.AsNoTracking()
            .Where(e => e.At >= start && e.At < end && Kinds.Contains(e.Kind))
            .Join(scope.Db.Documents.Where(d => d.BoxId == boxId), e => e.DocumentId, d => d.Id,
                (e, d) => new { e.At, e.Id, e.Kind, e.CompartmentLabel, d.DocumentNumber, e.Actor, e.ConfirmedBy, e.Note, d.PickedUpByAuthorizedPerson })
            .ToListAsync(cancellationToken);
        var openings = await scope.Db.BridgeCommands.AsNoTracking()
            .Where(c => c.BoxId == boxId && c.Purpose == CommandPurpose.Service && c.CreatedAt >= start && c.CreatedAt < end)
            .Select(c => new { c.CreatedAt, c.CompartmentLabel, c.RequestedBy, c.Reason, c.Status, c.ResultDetail })
            .ToListAsync(cancellationToken);

        var entries = events
            .Select(e => new Entry(e.At, e.Id, TypeOf(e.Kind), e.CompartmentLabel ?? "", DocumentRules.MaskDocumentNumber(e.DocumentNumber),
                scope.ActorWithWitness(e.Actor, e.ConfirmedBy), Remark(e.Kind, e.Note, e.PickedUpByAuthorizedPerson)))
            .Concat(openings.Select(c => new Entry(c.CreatedAt, 0, EntryType.ServiceOpening, c.CompartmentLabel, "", scope.Actor(c.RequestedBy),
                ServiceNote(c.Reason, c.Status, c.ResultDetail))))
            .OrderBy(e => e.At).ThenBy(e => e.Order)
            .ToList();

        var rows = entries.Select(e => new[]
        {
            ReportFormatting.Instant(e.At), EntryTypes.First(t => t.Type == e.Type).One, e.Compartment, e.Document, e.By, e.Remark,
        }).ToList();
        var blocks = new List<ReportBlock>
        {
            new ReportTable("Vorgänge",
            [
                new("Zeitpunkt", 1.7), new("Vorgang", 1.6), new("Fach", 0.8), new("Dokument", 1.3), new("Mitarbeiter/in", 2), new("Bemerkung", 3.2),
            ], rows, "Keine Vorgänge im Zeitraum."),
        };
        if (scope.Request.From != scope.Request.To)
        {
            blocks.Add(PerDay(entries, scope.TimeZone));
        }
        blocks.Add(new ReportFacts("Summen",
            EntryTypes.Select(t => new ReportFact(t.Many, ReportFormatting.Number(entries.Count(e => e.Type == t.Type))))
                .Append(new ReportFact("Vorgänge gesamt", ReportFormatting.Number(entries.Count)))
                .ToList(),
            IsTotals: true));
        return new ReportContent(blocks);
    }

    /// <summary>One line per day with anything on it: the counts of each kind and the day's total.</summary>
    private static ReportTable PerDay(List<Entry> entries, TimeZoneInfo timeZone)
    {
        var columns = new List<ReportColumn> { new("Tag", 1.4) };
        columns.AddRange(EntryTypes.Select(t => ReportColumn.Number(t.Many, 1.6)));
        columns.Add(ReportColumn.Number("Summe", 1));
        var rows = entries
            .GroupBy(e => ReportFormatting.LocalDate(e.At, timeZone))
            .OrderBy(g => g.Key)
            .Select(day => new[] { ReportFormatting.Date(day.Key) }
                .Concat(EntryTypes.Select(t => ReportFormatting.Number(day.Count(e => e.Type == t.Type))))
                .Append(ReportFormatting.Number(day.Count()))
                .ToArray())
            .ToList();
        return new ReportTable("Summen je Tag", columns, rows, "Keine Vorgänge im Zeitraum.");
    }

    private static EntryType TypeOf(DocumentEventKind kind) => kind switch
    {
        DocumentEventKind.Loaded => EntryType.Loaded,
        DocumentEventKind.PickedUp => EntryType.PickedUp,
        DocumentEventKind.Retrieved => EntryType.Retrieved,
        DocumentEventKind.PinReissued => EntryType.PinReissued,
        DocumentEventKind.DeadlineExtended => EntryType.DeadlineExtended,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// A PIN reissue says why; a deadline extension by how much, until when and why (the person is in its own column); a
    /// pickup says who collected it (an authorised person, never by name: the journal holds no personal data).
    /// </summary>
    private static string Remark(DocumentEventKind kind, string note, bool byAuthorizedPerson) => kind switch
    {
        DocumentEventKind.PinReissued or DocumentEventKind.DeadlineExtended => note,
        DocumentEventKind.PickedUp when byAuthorizedPerson => "durch bevollmächtigte Person (Vollmacht)",
        _ => "",
    };

    private static string ServiceNote(string? reason, CommandStatus status, string? detail)
    {
        var outcome = status switch
        {
            CommandStatus.Opened => "",
            CommandStatus.Failed => $"Tür nicht geöffnet{(detail is null ? "" : $": {detail}")}",
            CommandStatus.Expired => "ohne Antwort der Box abgelaufen",
            _ => "noch offen",
        };
        return string.Join("; ", new[] { reason, outcome }.Where(p => !string.IsNullOrEmpty(p)));
    }

    /// <summary>One journal line; <c>Order</c> keeps lines of the same instant in the order they were recorded.</summary>
    private sealed record Entry(DateTimeOffset At, long Order, EntryType Type, string Compartment, string Document, string By, string Remark);
}
