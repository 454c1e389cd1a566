namespace BackOffice.Application.Reports;

/// <summary>The reports the office prints.</summary>
public enum ReportKind
{
    /// <summary>Tagesjournal: every load, pickup, retrieval, PIN reissue and service opening of a box in a period.</summary>
    DailyJournal,

    /// <summary>Belegungsbericht: a box's compartments by state and size right now, and the occupied ones.</summary>
    Occupancy,

    /// <summary>Überfällige Dokumente: documents past their pickup deadline, in compartment order, to retrieve them.</summary>
    OverdueDocuments,

    /// <summary>Vernichtungsprotokoll: old-ID bin emptyings with counts, both staff members and signature lines.</summary>
    DestructionProtocol,

    /// <summary>Vorgangsauszug: one document's facts and full timeline, with personal data.</summary>
    DocumentHistory,

    /// <summary>Bestandsprotokoll: the inventories of a box in a period, each compartment with its finding and settlement.</summary>
    InventoryProtocol,
}

/// <summary>What a report needs to be generated, and how it appears in URLs and files.</summary>
/// <param name="Kind">The report.</param>
/// <param name="Slug">Its name in the download URL: <c>/reports/{slug}.pdf</c>.</param>
/// <param name="Title">German title, printed and offered in the UI.</param>
/// <param name="NeedsBox">Asks for a box.</param>
/// <param name="NeedsPeriod">Asks for a period (from, to: box-local dates, both included).</param>
/// <param name="NeedsDocument">Asks for one document.</param>
public sealed record ReportDefinition(
    ReportKind Kind, string Slug, string Title, bool NeedsBox, bool NeedsPeriod, bool NeedsDocument);

public static class ReportCatalog
{
    /// <summary>The longest period one report may cover: a year (plus a leap day).</summary>
    public const int MaxPeriodDays = 366;

    public static IReadOnlyList<ReportDefinition> All { get; } =
    [
        new(ReportKind.DailyJournal, "tagesjournal", "Tagesjournal", NeedsBox: true, NeedsPeriod: true, NeedsDocument: false),
        new(ReportKind.Occupancy, "belegung", "Belegungsbericht", NeedsBox: true, NeedsPeriod: false, NeedsDocument: false),
        new(ReportKind.OverdueDocuments, "ueberfaellig", "Überfällige Dokumente", NeedsBox: true, NeedsPeriod: false, NeedsDocument: false),
        new(ReportKind.DestructionProtocol, "vernichtungsprotokoll", "Vernichtungsprotokoll", NeedsBox: true, NeedsPeriod: true, NeedsDocument: false),
        new(ReportKind.DocumentHistory, "vorgangsauszug", "Vorgangsauszug", NeedsBox: false, NeedsPeriod: false, NeedsDocument: true),
        new(ReportKind.InventoryProtocol, "bestandsprotokoll", "Bestandsprotokoll", NeedsBox: true, NeedsPeriod: true, NeedsDocument: false),
    ];

    public static ReportDefinition Get(ReportKind kind) => All.Single(d => d.Kind == kind);
}
