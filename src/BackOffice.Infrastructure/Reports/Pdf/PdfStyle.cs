using PdfSharp.Drawing;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>The look of every report: A4 portrait, one typeface, a few sizes and greys.</summary>
/// <remarks>XFont and XPen objects are immutable and shared across threads.</remarks>
internal static class PdfStyle
{
    public const double PageWidth = 595.28; // A4 in points
    public const double PageHeight = 841.89;
    public const double MarginLeft = 42;
    public const double MarginRight = 42;
    public const double MarginTop = 34;
    public const double MarginBottom = 42;
    public const double CellPaddingX = 3;
    public const double CellPaddingY = 2.2;
    public const double BlockSpacing = 12;

    public static XFont OfficeName { get; } = Font(10.5, bold: true);
    public static XFont Title { get; } = Font(15, bold: true);
    public static XFont Subtitle { get; } = Font(9.5);
    public static XFont Small { get; } = Font(7.5);
    public static XFont Caption { get; } = Font(10, bold: true);
    public static XFont Cell { get; } = Font(8);
    public static XFont CellBold { get; } = Font(8, bold: true);

    public static XBrush Text { get; } = XBrushes.Black;
    public static XBrush Muted { get; } = new XSolidBrush(XColor.FromArgb(90, 90, 90));
    public static XBrush HeaderFill { get; } = new XSolidBrush(XColor.FromArgb(228, 232, 238));
    public static XBrush TotalsFill { get; } = new XSolidBrush(XColor.FromArgb(243, 245, 248));
    public static XPen Rule { get; } = new(XColor.FromArgb(120, 120, 120), 0.8);
    public static XPen RowLine { get; } = new(XColor.FromArgb(200, 200, 200), 0.3);
    public static XPen Box { get; } = new(XColors.Black, 0.7);

    private static XFont Font(double size, bool bold = false) =>
        new(EmbeddedFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfSharp.Pdf.PdfFontEncoding.Unicode));
}
