using PdfSharp.Drawing;

namespace BackOffice.Infrastructure.Reports.Pdf;

/// <summary>Line breaking and fitting of text into a width.</summary>
internal static class PdfText
{
    /// <summary>Breaks <paramref name="text"/> into lines no wider than <paramref name="width"/>: at spaces, inside a word only when it alone is too wide.</summary>
    public static IReadOnlyList<string> Wrap(XGraphics graphics, string text, XFont font, double width)
    {
        if (text.Length == 0 || (text.IndexOf('\n', StringComparison.Ordinal) < 0 && graphics.MeasureString(text, font).Width <= width))
        {
            return [text];
        }
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (graphics.MeasureString(candidate, font).Width <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                {
                    lines.Add(line);
                }
                line = word;
                // A word wider than the column is broken after a hyphen ("PIN-|Neuvergaben"), else where it must be.
                while (line.Length > 1 && graphics.MeasureString(line, font).Width > width)
                {
                    var fits = line.Length - 1;
                    while (fits > 1 && graphics.MeasureString(line[..fits], font).Width > width)
                    {
                        fits--;
                    }
                    var hyphen = line.LastIndexOf('-', fits - 1);
                    if (hyphen > 0)
                    {
                        fits = hyphen + 1;
                    }
                    lines.Add(line[..fits]);
                    line = line[fits..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>The text, shortened with "…" if it is wider than <paramref name="width"/> (for one-line places such as the header).</summary>
    public static string Fit(XGraphics graphics, string text, XFont font, double width)
    {
        if (graphics.MeasureString(text, font).Width <= width)
        {
            return text;
        }
        var length = text.Length;
        while (length > 1 && graphics.MeasureString(text[..length] + "…", font).Width > width)
        {
            length--;
        }
        return text[..length] + "…";
    }
}
