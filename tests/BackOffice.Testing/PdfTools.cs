using System.Diagnostics;

namespace BackOffice.Testing;

/// <summary>Reads PDFs the way a person checks them: Debian's poppler-utils (pdftotext, pdftoppm), installed by infra/test.sh.</summary>
public static class PdfTools
{
    /// <summary>The text of every page, in reading order with the layout kept; pages are separated by form feeds.</summary>
    public static async Task<string> TextAsync(byte[] pdf)
    {
        using var folder = new TempDirectory();
        var file = folder.File("report.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        await RunAsync("pdftotext", "-layout", "-enc", "UTF-8", file, folder.File("report.txt"));
        return await File.ReadAllTextAsync(folder.File("report.txt"));
    }

    /// <summary>The text of each page.</summary>
    public static async Task<IReadOnlyList<string>> PagesAsync(byte[] pdf) =>
        (await TextAsync(pdf)).Split('\f').SkipLast(1).ToList();

    /// <summary>Fonts as pdffonts lists them (name, type, embedded, subset).</summary>
    public static async Task<string> FontsAsync(byte[] pdf)
    {
        using var folder = new TempDirectory();
        var file = folder.File("report.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        return await RunAsync("pdffonts", file);
    }

    /// <summary>Writes each page as PNG (<paramref name="prefix"/>-1.png, …) into <paramref name="directory"/>, to look at.</summary>
    public static async Task SavePngAsync(byte[] pdf, string directory, string prefix, int resolution = 80)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, prefix + ".pdf");
        await File.WriteAllBytesAsync(file, pdf);
        await RunAsync("pdftoppm", "-png", "-r", resolution.ToString(System.Globalization.CultureInfo.InvariantCulture), file, Path.Combine(directory, prefix));
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start (is poppler-utils installed?).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await error}");
        }
        return await output;
    }
}
