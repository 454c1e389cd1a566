using PdfSharp;
using PdfSharp.Fonts;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>
/// PDFsharp's process-wide settings, made once before the first PDF: the licence it must be told about (since 6.5:
/// AGPL, or a commercial key from configuration, see docs/decisions/0010) and the embedded fonts.
/// </summary>
internal static class PdfSharpSetup
{
    private static readonly Lock Gate = new();
    private static bool _done;

    public static void EnsureConfigured(string? licenseKey)
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }
            if (string.IsNullOrWhiteSpace(licenseKey))
            {
                PdfSharpLicense.SetAgplLicense();
            }
            else
            {
                PdfSharpLicense.LoadLicense(licenseKey);
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
