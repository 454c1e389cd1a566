using System.Globalization;

namespace BackOffice.Benchmarks;

/// <summary>
/// CPU time spent by each kind of process between two readings (the app, Chromium, PostgreSQL, this benchmark, the
/// rest), so a latency figure can say whose work filled the two cores. Read from /proc/[pid]/stat (Linux), in clock
/// ticks of 10 ms: meaningful summed over many events, not for one.
/// </summary>
internal sealed class ProcessCpu
{
    private static readonly double MillisecondsPerTick = 1000.0 / 100; // USER_HZ is 100 on Linux.

    private readonly int _appProcessId;
    private readonly Dictionary<string, double> _spent = [];
    private Dictionary<int, (string Group, long Ticks)> _last;

    public ProcessCpu(int appProcessId)
    {
        _appProcessId = appProcessId;
        _last = Read();
    }

    /// <summary>Counts the time since the last reading (or construction) and starts anew.</summary>
    public void Count()
    {
        var now = Read();
        foreach (var (pid, (group, ticks)) in now)
        {
            // A kernel worker's name changes with its work; its time is counted by process id all the same.
            var before = _last.TryGetValue(pid, out var last) ? last.Ticks : 0;
            _spent[group] = _spent.GetValueOrDefault(group) + (ticks - before) * MillisecondsPerTick;
        }
        _last = now;
    }

    /// <summary>Starts anew without counting the time since the last reading.</summary>
    public void Skip() => _last = Read();

    /// <summary>E.g. "app 12.0 ms, browser (renderer) 40.5 ms, …" per unit, largest first; below 0.5 ms together as "the rest".</summary>
    public string PerUnit(int units)
    {
        var shown = _spent.Where(s => s.Value / units >= 0.5).OrderByDescending(s => s.Value).ToList();
        var rest = _spent.Values.Sum() - shown.Sum(s => s.Value);
        return string.Join(", ", shown.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value / units:0.0} ms"))
            .Append(string.Create(CultureInfo.InvariantCulture, $"the rest {rest / units:0.0} ms")));
    }

    private Dictionary<int, (string Group, long Ticks)> Read()
    {
        var result = new Dictionary<int, (string, long)>();
        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // The command name is in parentheses and may hold spaces; the fields after it are space-separated.
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                result[pid] = (Group(pid, self, name), ticks);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while being read.
            }
        }
        return result;
    }

    // Chromium's processes by their part: the pages (renderers), the compositor (gpu-process), the network service.
    private static string BrowserPart(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split(['\0', ' ']);
            var type = arguments.FirstOrDefault(a => a.StartsWith("--type=", StringComparison.Ordinal))?["--type=".Length..];
            var service = arguments.FirstOrDefault(a => a.StartsWith("--utility-sub-type=", StringComparison.Ordinal))?.Split('.').Last();
            return type is null ? "browser (main)" : $"browser ({service ?? type})";
        }
        catch (IOException)
        {
            return "browser";
        }
    }

    private string Group(int pid, int self, string name) =>
        pid == _appProcessId ? "app"
        : pid == self ? "benchmark"
        : name.StartsWith("chrom", StringComparison.Ordinal) || name.StartsWith("headless", StringComparison.Ordinal) ? BrowserPart(pid)
        : name.StartsWith("postgres", StringComparison.Ordinal) ? "postgres"
        : name == "node" ? "playwright driver"
        : name.StartsWith("kworker", StringComparison.Ordinal) || name.StartsWith("ksoftirqd", StringComparison.Ordinal)
            || name.StartsWith("kdamond", StringComparison.Ordinal) || name.StartsWith("rcu_", StringComparison.Ordinal) ? "kernel"
        : name;
}
