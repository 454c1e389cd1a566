using PdfSharp.Fonts;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>
/// Serves DejaVu Sans (regular and bold), shipped inside this assembly, for every font a report asks for. Reports never
/// depend on fonts a server may lack; PDFsharp embeds the glyphs used (subset) into each file.
/// </summary>
/// <remarks>Thread-safe; the font files are read once. Licence: Reports/Fonts/LICENSE (Bitstream Vera, permissive).</remarks>
internal sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly Lazy<byte[]> Regular = new(() => Load(RegularFace));
    private static readonly Lazy<byte[]> Bold = new(() => Load(BoldFace));

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Italic is not used by the reports; were it asked for, PDFsharp slants the regular face.
        new(bold ? BoldFace : RegularFace, false, italic);

    public byte[] GetFont(string faceName) => faceName == BoldFace ? Bold.Value : Regular.Value;

    private static byte[] Load(string face)
    {
        using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream($"Fonts/{face}.ttf")
            ?? throw new InvalidOperationException($"Font {face} is not embedded in {typeof(EmbeddedFonts).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
