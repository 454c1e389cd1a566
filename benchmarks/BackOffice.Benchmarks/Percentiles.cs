namespace BackOffice.Benchmarks;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Summary(List<double> milliseconds)
    {
        milliseconds.Sort();
        return $"p50 {Of(milliseconds, 50):0.00} ms   p95 {Of(milliseconds, 95):0.00} ms   p99 {Of(milliseconds, 99):0.00} ms   " +
               $"max {milliseconds[^1]:0.00} ms   mean {milliseconds.Average():0.00} ms";
    }
}
