namespace BackOffice.Benchmarks;

/// <param name="Commands">How many commands are measured.</param>
/// <param name="WarmUp">How many run first, unmeasured.</param>
/// <param name="PaceMilliseconds">Time from one command's start to the next; 0: the next starts as soon as the last arrived.</param>
/// <param name="DiskProbe">Also time small flushes of the disk meanwhile (<c>--disk-probe</c>; adds 10 flushes a second).</param>
internal sealed record BenchmarkOptions(int Commands, int WarmUp, int PaceMilliseconds, bool DiskProbe = false)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
        }
        return new BenchmarkOptions(Value("--commands", 1000), Value("--warm-up", 50), Value("--pace", 0), args.Contains("--disk-probe"));
    }
}
