using BackOffice.Application.Reports;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>
/// Pages of one report and the cursor on the current one. Every page gets the same header (office name and logo,
/// title, subject, period, "Erstellt am … von …"); <see cref="Finish"/> adds the footer with "Seite X von Y" once the
/// page count is known. Content is drawn top to bottom: ask <see cref="EnsureSpace"/> before drawing anything that must
/// stay on one page.
/// </summary>
/// <remarks>One instance per rendering; not thread-safe.</remarks>
internal sealed class PdfPageFrame : IDisposable
{
    private const double LogoHeight = 30;
    private readonly PdfDocument _document;
    private readonly Report _report;
    private readonly XImage? _logo;
    private readonly string _generated;
    private XGraphics? _graphics;

    public PdfPageFrame(PdfDocument document, Report report, string officeName, XImage? logo)
    {
        _document = document;
        _report = report;
        _logo = logo;
        OfficeName = officeName;
        _generated = $"Erstellt am {ReportFormatting.Instant(report.GeneratedAt)} von {report.GeneratedBy}";
        NewPage();
    }

    public string OfficeName { get; }

    public XGraphics Graphics => _graphics ?? throw new ObjectDisposedException(nameof(PdfPageFrame));

    /// <summary>Where the next thing is drawn, from the top of the page.</summary>
    public double Y { get; set; }

    /// <summary>Where content starts below the header on every page.</summary>
    public double ContentTop { get; private set; }

    public static double Left => PdfStyle.MarginLeft;

    public static double Width => PdfStyle.PageWidth - PdfStyle.MarginLeft - PdfStyle.MarginRight;

    public static double Right => Left + Width;

    /// <summary>Lowest point content may reach; the footer lies below.</summary>
    public static double Bottom => PdfStyle.PageHeight - PdfStyle.MarginBottom;

    /// <summary>Height left on this page below <see cref="Y"/>.</summary>
    public double Remaining => Bottom - Y;

    /// <summary>Starts a new page unless <paramref name="height"/> fits below the cursor; true when it started one.</summary>
    public bool EnsureSpace(double height)
    {
        if (Y + height <= Bottom)
        {
            return false;
        }
        NewPage();
        return true;
    }

    public void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        _graphics = XGraphics.FromPdfPage(page);
        DrawHeader(_graphics);
    }

    /// <summary>Draws the footers, now that the number of pages is known.</summary>
    public void Finish()
    {
        _graphics?.Dispose();
        _graphics = null;
        var count = _document.PageCount;
        var left = $"{_report.Title} · {_report.Subject}";
        for (var i = 0; i < count; i++)
        {
            using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var y = Bottom + 12;
            graphics.DrawLine(PdfStyle.RowLine, Left, y, Right, y);
            var pageText = $"Seite {i + 1} von {count}";
            var pageWidth = graphics.MeasureString(pageText, PdfStyle.Small).Width;
            graphics.DrawString(PdfText.Fit(graphics, left, PdfStyle.Small, Width - pageWidth - 20), PdfStyle.Small, PdfStyle.Muted,
                Left, y + 3, XStringFormats.TopLeft);
            graphics.DrawString(pageText, PdfStyle.Small, PdfStyle.Text, Right - pageWidth, y + 3, XStringFormats.TopLeft);
        }
    }

    public void Dispose() => _graphics?.Dispose();

    private void DrawHeader(XGraphics graphics)
    {
        var top = PdfStyle.MarginTop;
        var nameX = Left;
        if (_logo is not null)
        {
            var width = Math.Min(LogoHeight * _logo.PixelWidth / _logo.PixelHeight, 90);
            graphics.DrawImage(_logo, Left, top, width, LogoHeight);
            nameX += width + 8;
        }
        graphics.DrawString(PdfText.Fit(graphics, OfficeName, PdfStyle.OfficeName, Right - nameX), PdfStyle.OfficeName,
            PdfStyle.Text, nameX, top + (LogoHeight - PdfStyle.OfficeName.GetHeight()) / 2, XStringFormats.TopLeft);

        // Title on the left, who generated it when on the right of the same line.
        var y = top + LogoHeight + 8;
        var generatedWidth = graphics.MeasureString(_generated, PdfStyle.Small).Width;
        graphics.DrawString(_generated, PdfStyle.Small, PdfStyle.Muted, Right - generatedWidth,
            y + PdfStyle.Title.GetHeight() - PdfStyle.Small.GetHeight() - 2, XStringFormats.TopLeft);
        graphics.DrawString(PdfText.Fit(graphics, _report.Title, PdfStyle.Title, Width - generatedWidth - 12), PdfStyle.Title, PdfStyle.Text,
            Left, y, XStringFormats.TopLeft);
        y += PdfStyle.Title.GetHeight() + 2;
        graphics.DrawString(PdfText.Fit(graphics, _report.Subject, PdfStyle.Subtitle, Width), PdfStyle.Subtitle, PdfStyle.Text, Left, y, XStringFormats.TopLeft);
        y += PdfStyle.Subtitle.GetHeight() + 1;
        graphics.DrawString(PdfText.Fit(graphics, _report.Period, PdfStyle.Subtitle, Width), PdfStyle.Subtitle, PdfStyle.Text, Left, y, XStringFormats.TopLeft);
        y += PdfStyle.Subtitle.GetHeight() + 5;
        graphics.DrawLine(PdfStyle.Rule, Left, y, Right, y);
        ContentTop = Y = y + 8;
    }
}
