using System.Diagnostics;

namespace BackOffice.Benchmarks;

/// <summary>
/// How long this machine's disk takes to flush a small write (8 KB, fsync), the floor under every durable commit: on a
/// virtual disk that stalls now and then, a commit's latency tail is the disk's, whatever the code does. Measured next to
/// a figure (<c>--disk-probe</c>), in the benchmark's working folder (the repository, on the PostgreSQL clusters' file system).
/// </summary>
internal static class DiskFlushProbe
{
    /// <summary>Flushes every <paramref name="pause"/> until cancelled (10 small flushes a second: far below an office's own).</summary>
    public static async Task<string> MeasureWhileAsync(TimeSpan pause, CancellationToken until)
    {
        var path = Path.Combine(Environment.CurrentDirectory, $".disk-probe-{Guid.NewGuid():N}");
        var block = new byte[8192];
        var latencies = new List<double>();
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            for (var i = 0; !until.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                file.Position = i % 64 * block.Length;
                file.Write(block);
                file.Flush(flushToDisk: true);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                try
                {
                    await Task.Delay(pause, until);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
        var stalls = latencies.Count(l => l >= 10);
        return latencies.Count == 0 ? "" : $"8 KB write + fsync every {pause.TotalMilliseconds:0} ms: {Percentiles.Summary(latencies)}, {stalls} of {latencies.Count} took 10 ms or more";
    }
}
