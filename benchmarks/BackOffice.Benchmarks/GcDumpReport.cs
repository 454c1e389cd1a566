using System.Globalization;
using System.Text.RegularExpressions;

namespace BackOffice.Benchmarks;

/// <summary>Reads <c>dotnet-gcdump report</c>'s heap statistics.</summary>
internal static partial class GcDumpReport
{
    /// <summary>The heap's total bytes: the report's "GC Heap bytes" line, or else the sum of its per-type sizes.</summary>
    public static long TotalBytes(string report)
    {
        if (TotalLine().Match(report) is { Success: true } total)
        {
            return Number(total.Groups[1].Value);
        }
        var sum = ByType(report).Values.Sum();
        return sum > 0 ? sum : throw new FormatException("Not a dotnet-gcdump heap report:\n" + report);
    }

    /// <summary>Bytes per type name (the report's first column is the average object size, the second the count).</summary>
    public static Dictionary<string, long> ByType(string report)
    {
        var types = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match line in TypeLine().Matches(report))
        {
            var name = line.Groups[3].Value.Trim();
            types[name] = types.GetValueOrDefault(name) + (Number(line.Groups[1].Value) * Number(line.Groups[2].Value));
        }
        return types;
    }

    private static long Number(string digits) => long.Parse(digits.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap bytes", RegexOptions.Multiline)]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(\S.*?)(\s+\[.*\])?\s*$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
