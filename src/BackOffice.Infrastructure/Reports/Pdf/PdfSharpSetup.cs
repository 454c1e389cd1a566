using PdfSharp.Fonts;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>PDFsharp's process-wide settings, made once before the first PDF: the embedded fonts (docs/decisions/0011).</summary>
internal static class PdfSharpSetup
{
    private static readonly Lock Gate = new();
    private static bool _done;

    public static void EnsureConfigured()
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }
            // Global and settable once per process; tests start several apps in one process, all with the same resolver.
            if (GlobalFontSettings.FontResolver is not EmbeddedFonts)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFonts();
            }
            _done = true;
        }
    }
}
