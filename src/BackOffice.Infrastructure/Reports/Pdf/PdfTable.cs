using BackOffice.Application.Reports;
using PdfSharp.Drawing;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>
/// Draws a table that flows over as many pages as it needs: cells wrap inside their column, a row never splits, and
/// every page the table continues on starts with its caption ("Fortsetzung") and header row again.
/// </summary>
internal static class PdfTable
{
    private const double CheckboxSize = 8;

    public static void Draw(PdfPageFrame frame, ReportTable table)
    {
        var graphics = frame.Graphics;
        var widths = ColumnWidths(graphics, table.Columns);
        var header = Layout(graphics, table.Columns.Select(c => c.Header).ToArray(), widths, PdfStyle.CellBold);
        var captionHeight = PdfStyle.Caption.GetHeight() + 4;

        if (table.Rows.Count == 0)
        {
            frame.EnsureSpace(captionHeight + PdfStyle.Cell.GetHeight() + 4);
            DrawCaption(frame, table.Caption);
            frame.Graphics.DrawString(table.EmptyText, PdfStyle.Cell, PdfStyle.Muted, PdfPageFrame.Left, frame.Y, XStringFormats.TopLeft);
            frame.Y += PdfStyle.Cell.GetHeight() + 4;
            return;
        }

        var first = Layout(graphics, table.Rows[0], widths, PdfStyle.Cell);
        frame.EnsureSpace(captionHeight + header.Height + first.Height);
        DrawCaption(frame, table.Caption);
        DrawRow(frame, table.Columns, widths, header, PdfStyle.CellBold, PdfStyle.HeaderFill);
        foreach (var cells in table.Rows)
        {
            var row = Layout(frame.Graphics, cells, widths, PdfStyle.Cell);
            if (frame.EnsureSpace(row.Height))
            {
                frame.EnsureSpace(captionHeight + header.Height + row.Height);
                DrawCaption(frame, $"{table.Caption} (Fortsetzung)");
                DrawRow(frame, table.Columns, widths, header, PdfStyle.CellBold, PdfStyle.HeaderFill);
            }
            DrawRow(frame, table.Columns, widths, row, PdfStyle.Cell, null);
        }
    }

    /// <summary>Label–value pairs as a two-column grid without header; totals on a shaded ground.</summary>
    public static void DrawFacts(PdfPageFrame frame, ReportFacts facts)
    {
        double[] widths = [PdfPageFrame.Width * 0.32, PdfPageFrame.Width * 0.68];
        ReportColumn[] columns = [new("", 1), new("", 2)];
        var captionHeight = PdfStyle.Caption.GetHeight() + 4;
        var fill = facts.IsTotals ? PdfStyle.TotalsFill : null;
        var rows = facts.Items.Select(f => Layout(frame.Graphics, [f.Label, f.Value], widths, PdfStyle.Cell)).ToList();
        // Kept on one page when it fits on one: totals read best together.
        var height = captionHeight + rows.Sum(r => r.Height);
        if (height <= PdfPageFrame.Bottom - frame.ContentTop)
        {
            frame.EnsureSpace(height);
        }
        var started = false;
        foreach (var row in rows)
        {
            if (!started || frame.EnsureSpace(row.Height))
            {
                frame.EnsureSpace(captionHeight + row.Height);
                DrawCaption(frame, started ? $"{facts.Caption} (Fortsetzung)" : facts.Caption);
                if (facts.IsTotals)
                {
                    frame.Graphics.DrawLine(PdfStyle.Rule, PdfPageFrame.Left, frame.Y, PdfPageFrame.Right, frame.Y);
                }
                started = true;
            }
            DrawRow(frame, columns, widths, row, PdfStyle.Cell, fill, boldFirstColumn: true);
        }
    }

    private static void DrawCaption(PdfPageFrame frame, string caption)
    {
        frame.Graphics.DrawString(caption, PdfStyle.Caption, PdfStyle.Text, PdfPageFrame.Left, frame.Y, XStringFormats.TopLeft);
        frame.Y += PdfStyle.Caption.GetHeight() + 4;
    }

    /// <summary>
    /// The page width shared in the columns' proportions; a column too narrow for the longest word of its header takes
    /// what it lacks from the others (in proportion to what they can spare), so a heading never breaks inside a word.
    /// </summary>
    private static double[] ColumnWidths(XGraphics graphics, IReadOnlyList<ReportColumn> columns)
    {
        var total = columns.Sum(c => c.Width);
        var widths = columns.Select(c => PdfPageFrame.Width * c.Width / total).ToArray();
        var minimum = columns
            .Select(c => c.Header.Split(' ').Max(word => graphics.MeasureString(word, PdfStyle.CellBold).Width) + 2 * PdfStyle.CellPaddingX + 0.5)
            .ToArray();
        var lacking = widths.Select((w, i) => Math.Max(0, minimum[i] - w)).Sum();
        var spare = widths.Select((w, i) => Math.Max(0, w - minimum[i])).Sum();
        if (lacking <= 0 || spare < lacking)
        {
            return widths;
        }
        return widths.Select((w, i) => w < minimum[i] ? minimum[i] : w - (w - minimum[i]) / spare * lacking).ToArray();
    }

    private static RowLayout Layout(XGraphics graphics, IReadOnlyList<string> cells, double[] widths, XFont font)
    {
        var lines = new IReadOnlyList<string>[widths.Length];
        var maxLines = 1;
        for (var i = 0; i < widths.Length; i++)
        {
            lines[i] = PdfText.Wrap(graphics, i < cells.Count ? cells[i] : "", font, widths[i] - 2 * PdfStyle.CellPaddingX);
            maxLines = Math.Max(maxLines, lines[i].Count);
        }
        return new RowLayout(lines, maxLines * font.GetHeight() + 2 * PdfStyle.CellPaddingY);
    }

    private static void DrawRow(
        PdfPageFrame frame, IReadOnlyList<ReportColumn> columns, double[] widths, RowLayout row, XFont font, XBrush? fill, bool boldFirstColumn = false)
    {
        var graphics = frame.Graphics;
        var top = frame.Y;
        if (fill is not null)
        {
            graphics.DrawRectangle(fill, PdfPageFrame.Left, top, PdfPageFrame.Width, row.Height);
        }
        var x = PdfPageFrame.Left;
        var lineHeight = font.GetHeight();
        for (var i = 0; i < widths.Length; i++)
        {
            var column = columns[i];
            var cellFont = boldFirstColumn && i == 0 ? PdfStyle.CellBold : font;
            if (column.IsCheckbox && fill is null)
            {
                graphics.DrawRectangle(PdfStyle.Box, x + (widths[i] - CheckboxSize) / 2, top + PdfStyle.CellPaddingY + 0.5, CheckboxSize, CheckboxSize);
            }
            var y = top + PdfStyle.CellPaddingY;
            foreach (var line in row.Lines[i])
            {
                if (line.Length > 0)
                {
                    var textX = column.Align switch
                    {
                        ReportAlign.Right => x + widths[i] - PdfStyle.CellPaddingX - graphics.MeasureString(line, cellFont).Width,
                        ReportAlign.Center => x + (widths[i] - graphics.MeasureString(line, cellFont).Width) / 2,
                        _ => x + PdfStyle.CellPaddingX,
                    };
                    graphics.DrawString(line, cellFont, PdfStyle.Text, textX, y, XStringFormats.TopLeft);
                }
                y += lineHeight;
            }
            x += widths[i];
        }
        frame.Y = top + row.Height;
        graphics.DrawLine(PdfStyle.RowLine, PdfPageFrame.Left, frame.Y, PdfPageFrame.Right, frame.Y);
    }

    private sealed record RowLayout(IReadOnlyList<string>[] Lines, double Height);
}
