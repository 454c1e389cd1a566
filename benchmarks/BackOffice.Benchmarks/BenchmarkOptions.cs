namespace BackOffice.Benchmarks;

internal sealed record BenchmarkOptions(int Commands, int WarmUp)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
        }
        return new BenchmarkOptions(Value("--commands", 1000), Value("--warm-up", 50));
    }
}
