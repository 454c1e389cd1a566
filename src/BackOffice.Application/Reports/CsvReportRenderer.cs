using System.Text;

namespace BackOffice.Application.Reports;

/// <summary>
/// CSV as German Excel opens it with a double click: UTF-8 with byte order mark, semicolons, CRLF, German dates and
/// numbers as the report printed them. Sections follow the report's blocks, separated by an empty line: a title line,
/// then each table with its caption and header row, facts and totals as label;value pairs.
/// </summary>
/// <remarks>
/// Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) get a leading apostrophe, so a
/// name or note typed by someone can never execute in the office's Excel; plain numbers such as "-3" stay numbers.
/// </remarks>
public sealed class CsvReportRenderer : IReportRenderer
{
    private const char Separator = ';';
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public ReportFileFormat Format => ReportFileFormat.Csv;

    public string ContentType => "text/csv; charset=utf-8";

    public string Extension => ".csv";

    public void Render(Report report, Stream output)
    {
        using var writer = new StreamWriter(output, Utf8WithBom, bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        WriteRow(writer, [report.Title, report.Subject, report.Period,
            $"Erstellt am {ReportFormatting.Instant(report.GeneratedAt)} von {report.GeneratedBy}"]);
        foreach (var block in report.Blocks)
        {
            switch (block)
            {
                case ReportTable table:
                    writer.WriteLine();
                    WriteRow(writer, [table.Caption]);
                    WriteRow(writer, table.Columns.Select(c => c.Header).ToArray());
                    foreach (var row in table.Rows)
                    {
                        WriteRow(writer, row);
                    }
                    break;
                case ReportFacts facts:
                    writer.WriteLine();
                    WriteRow(writer, [facts.Caption]);
                    foreach (var fact in facts.Items)
                    {
                        WriteRow(writer, [fact.Label, fact.Value]);
                    }
                    break;
                case ReportNote note:
                    writer.WriteLine();
                    WriteRow(writer, [note.Text]);
                    break;
                case ReportSignatures:
                    // Signatures belong on paper.
                    break;
                default:
                    throw new NotSupportedException($"No CSV for {block.GetType().Name}.");
            }
        }
    }

    private static void WriteRow(StreamWriter writer, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(Separator);
            }
            WriteCell(writer, cells[i]);
        }
        writer.WriteLine();
    }

    internal static void WriteCell(TextWriter writer, string value)
    {
        if (value.Length == 0)
        {
            return;
        }
        var text = NeedsFormulaGuard(value) ? "'" + value : value;
        if (text.AsSpan().IndexOfAny(";\"\r\n") < 0 && text[0] != ' ' && text[^1] != ' ')
        {
            writer.Write(text);
            return;
        }
        writer.Write('"');
        writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    private static bool NeedsFormulaGuard(string value) =>
        value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(value);

    /// <summary>"-3", "-1.234,5": a number as the report prints it, which Excel reads as a number, not a formula.</summary>
    private static bool IsPlainNumber(string value)
    {
        var digits = value.AsSpan(value[0] is '-' or '+' ? 1 : 0);
        return digits.Length > 0 && char.IsAsciiDigit(digits[0]) && !digits.ContainsAnyExcept("0123456789.,");
    }
}
