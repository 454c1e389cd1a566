using BackOffice.Application.Reports;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>Draws a <see cref="Report"/> on A4 pages: the page frame, then each block in order.</summary>
/// <remarks>
/// Singleton, thread-safe: one report renders at a time. PDFsharp's fonts (glyph tables, subsets) are process-wide and
/// not documented as safe for concurrent documents; a year's journal takes under a second, so serialising costs little.
/// </remarks>
internal sealed class PdfReportRenderer : IReportRenderer
{
    private static readonly Lock RenderGate = new();
    private readonly OfficeBranding _branding;

    public PdfReportRenderer(OfficeBranding branding)
    {
        _branding = branding;
        PdfSharpSetup.EnsureConfigured();
    }

    public ReportFileFormat Format => ReportFileFormat.Pdf;

    public string ContentType => "application/pdf";

    public string Extension => ".pdf";

    public void Render(Report report, Stream output)
    {
        lock (RenderGate)
        {
            RenderDocument(report, output);
        }
    }

    private void RenderDocument(Report report, Stream output)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"{report.Title} – {report.Subject}";
        document.Info.Subject = report.Period;
        document.Info.Author = report.GeneratedBy;
        document.Info.Creator = $"Ausgabebox Back Office – {_branding.OfficeName}";
        using var logo = _branding.Logo is { } bytes ? XImage.FromStream(new MemoryStream(bytes, writable: false)) : null;
        using (var frame = new PdfPageFrame(document, report, _branding.OfficeName, logo))
        {
            foreach (var block in report.Blocks)
            {
                Draw(frame, block);
                frame.Y += PdfStyle.BlockSpacing;
            }
            frame.Finish();
        }
        document.Save(output, closeStream: false);
    }

    private static void Draw(PdfPageFrame frame, ReportBlock block)
    {
        switch (block)
        {
            case ReportTable table:
                PdfTable.Draw(frame, table);
                break;
            case ReportFacts facts:
                PdfTable.DrawFacts(frame, facts);
                break;
            case ReportNote note:
                DrawNote(frame, note);
                break;
            case ReportSignatures signatures:
                DrawSignatures(frame, signatures);
                break;
            default:
                throw new NotSupportedException($"No PDF for {block.GetType().Name}.");
        }
    }

    private static void DrawNote(PdfPageFrame frame, ReportNote note)
    {
        var lines = PdfText.Wrap(frame.Graphics, note.Text, PdfStyle.Cell, PdfPageFrame.Width);
        var lineHeight = PdfStyle.Cell.GetHeight();
        frame.EnsureSpace(lines.Count * lineHeight);
        foreach (var line in lines)
        {
            frame.Graphics.DrawString(line, PdfStyle.Cell, PdfStyle.Muted, PdfPageFrame.Left, frame.Y, XStringFormats.TopLeft);
            frame.Y += lineHeight;
        }
    }

    /// <summary>Lines to sign, two side by side, each with its caption below; never split from each other across pages.</summary>
    private static void DrawSignatures(PdfPageFrame frame, ReportSignatures signatures)
    {
        const double space = 34;
        const double gap = 30;
        var lineWidth = (PdfPageFrame.Width - gap) / 2;
        var rowHeight = space + PdfStyle.Small.GetHeight() + 10;
        frame.EnsureSpace(rowHeight * Math.Ceiling(signatures.Lines.Count / 2.0));
        for (var i = 0; i < signatures.Lines.Count; i += 2)
        {
            var y = frame.Y + space;
            for (var j = 0; j < 2 && i + j < signatures.Lines.Count; j++)
            {
                var x = PdfPageFrame.Left + j * (lineWidth + gap);
                frame.Graphics.DrawLine(PdfStyle.Box, x, y, x + lineWidth, y);
                frame.Graphics.DrawString(signatures.Lines[i + j], PdfStyle.Small, PdfStyle.Muted, x, y + 3, XStringFormats.TopLeft);
            }
            frame.Y += rowHeight;
        }
    }
}
