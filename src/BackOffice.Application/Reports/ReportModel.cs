namespace BackOffice.Application.Reports;

/// <summary>
/// A finished report as data: what the PDF and the CSV renderer both draw from, so a report is queried once and every
/// format shows the same rows. Texts are German and already formatted (dates in Europe/Berlin, German numbers).
/// </summary>
/// <param name="Kind">Which report.</param>
/// <param name="Title">e.g. "Tagesjournal".</param>
/// <param name="Subject">What it is about, e.g. "Box DLZ-1 – Dienstleistungszentrum".</param>
/// <param name="Period">e.g. "01.11.2026 – 30.11.2026" or "Stand 21.11.2026 14:05".</param>
/// <param name="GeneratedAt">When it was generated (printed in office time).</param>
/// <param name="GeneratedBy">Display name of the staff member who generated it.</param>
/// <param name="Blocks">The content, top to bottom.</param>
/// <param name="FileName">File name without extension, e.g. "Tagesjournal_DLZ-1_2026-11-01_2026-11-30".</param>
public sealed record Report(
    ReportKind Kind,
    string Title,
    string Subject,
    string Period,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    IReadOnlyList<ReportBlock> Blocks,
    string FileName);

/// <summary>One part of a report's content.</summary>
public abstract record ReportBlock;

/// <summary>Label–value pairs, e.g. the facts of a document or the totals at the end.</summary>
public sealed record ReportFacts(string Caption, IReadOnlyList<ReportFact> Items, bool IsTotals = false) : ReportBlock;

public sealed record ReportFact(string Label, string Value);

/// <summary>A table; in the PDF it breaks across pages and repeats its header row on each.</summary>
/// <param name="Caption">Heading above the table (also the CSV section heading).</param>
/// <param name="Columns">Columns with their relative widths.</param>
/// <param name="Rows">Cells as printed; one string per column.</param>
/// <param name="EmptyText">Printed instead of the table when it has no rows.</param>
public sealed record ReportTable(string Caption, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<string[]> Rows, string EmptyText) : ReportBlock;

/// <param name="Header">Column heading.</param>
/// <param name="Width">Relative width; the PDF shares the page width in these proportions.</param>
/// <param name="Align">Numbers right-aligned.</param>
/// <param name="IsCheckbox">An empty box to tick on paper (the CSV leaves the cell empty).</param>
public sealed record ReportColumn(string Header, double Width, ReportAlign Align = ReportAlign.Left, bool IsCheckbox = false)
{
    public static ReportColumn Number(string header, double width) => new(header, width, ReportAlign.Right);

    public static ReportColumn Checkbox(string header) => new(header, 0.8, ReportAlign.Center, IsCheckbox: true);
}

public enum ReportAlign
{
    Left,
    Right,
    Center,
}

/// <summary>A paragraph of text, e.g. a privacy note.</summary>
public sealed record ReportNote(string Text) : ReportBlock;

/// <summary>Lines to sign on paper (PDF only), each with its caption, e.g. "Datum, Unterschrift 1. Mitarbeiter/in".</summary>
public sealed record ReportSignatures(IReadOnlyList<string> Lines) : ReportBlock;
