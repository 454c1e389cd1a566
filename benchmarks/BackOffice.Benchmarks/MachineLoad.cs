using System.Globalization;

namespace BackOffice.Benchmarks;

/// <summary>
/// How busy the whole machine was while a figure was measured, and how much CPU time the host took from this virtual
/// machine ("steal"): a latency tail measured while the host steals a tenth of the CPU says more about the host than
/// about the product, so the benchmarks print it next to their figures. Read from /proc/stat (Linux).
/// </summary>
internal sealed class MachineLoad
{
    private readonly long[]? _start = Read();

    public static MachineLoad Start() => new();

    /// <summary>E.g. "machine busy 34 %, CPU stolen by the host 2.1 %" (empty where /proc/stat cannot be read).</summary>
    public string Summary()
    {
        if (_start is null || Read() is not { } end)
        {
            return "";
        }
        var delta = end.Zip(_start, (e, s) => e - s).ToArray();
        // user nice system idle iowait irq softirq steal
        double all = delta.Take(8).Sum(), steal = delta[7], idle = delta[3] + delta[4];
        if (all <= 0)
        {
            return "";
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"machine busy {100 * (all - idle - steal) / all:0} %, CPU stolen by the host {100 * steal / all:0.0} %");
    }

    private static long[]? Read()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return fields.Length == 8 ? fields : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
