using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Benchmarks;

/// <summary>
/// Time from issuing an unlock in the back office (BridgeCommandService: validation, insert, audit, send) to the real
/// bridge code receiving it over the real WebSocket hub connection, one command after the other. The simulated lock opens
/// and closes each door, so door events and results load the hub and the database meanwhile, as on a real box. Back to
/// back (the default) the box's events come faster than they are worked off, so every command competes with that backlog;
/// <c>--pace</c> spaces the commands the way a counter issues them, each on a box that has worked off the last one.
/// </summary>
internal static class UnlockLatency
{
    public static async Task RunAsync(BenchmarkOptions options)
    {
        await using var app = await BenchmarkApp.StartAsync();
        var compartments = await CompartmentIdsAsync(app);
        await using var box = new SimulatedBox(app, doorClosesAfter: TimeSpan.FromMilliseconds(100));
        var bridge = box.Bridge;

        var received = new ConcurrentDictionary<Guid, TaskCompletionSource<long>>();
        bridge.CommandReceived += command =>
            received.GetOrAdd(command.CommandId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetResult(Stopwatch.GetTimestamp());
        await bridge.StartAsync(CancellationToken.None);
        await CheckpointAsync(app);

        var commands = app.Services.GetRequiredService<BridgeCommandService>();
        var load = MachineLoad.Start();
        using var stopProbe = new CancellationTokenSource();
        var disk = options.DiskProbe ? DiskFlushProbe.MeasureWhileAsync(TimeSpan.FromMilliseconds(100), stopProbe.Token) : null;
        var latencies = new List<double>(options.Commands);
        var issueDurations = new List<double>(options.Commands);
        for (var i = 0; i < options.WarmUp + options.Commands; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var issue = await commands.IssueUnlockAsync(compartments[i % compartments.Count], CommandPurpose.Service, "staff:benchmark", reason: "Benchmark");
            var issued = Stopwatch.GetTimestamp();
            if (!issue.Accepted)
            {
                throw new InvalidOperationException($"Unlock {i} was refused: {issue.Refusal}");
            }
            var arrival = await received
                .GetOrAdd(issue.CommandId!.Value, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously))
                .Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (i >= options.WarmUp)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started, arrival).TotalMilliseconds);
                issueDurations.Add(Stopwatch.GetElapsedTime(started, issued).TotalMilliseconds);
            }
            var rest = TimeSpan.FromMilliseconds(options.PaceMilliseconds) - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }

        var pace = options.PaceMilliseconds > 0 ? $"one every {options.PaceMilliseconds} ms" : "one at a time, back to back";
        Console.WriteLine($"unlock-latency: {options.Commands} commands after {options.WarmUp} warm-up, {pace}, " +
                          $"{Environment.ProcessorCount} cores, PostgreSQL with {await DurabilityAsync(app)}");
        Console.WriteLine($"  issue -> bridge received:     {Percentiles.Summary(latencies)}");
        Console.WriteLine($"  issue call (store + send):    {Percentiles.Summary(issueDurations)}");
        Console.WriteLine($"  meanwhile: {load.Summary()}");
        await stopProbe.CancelAsync();
        if (disk is not null)
        {
            Console.WriteLine($"  the disk meanwhile: {await disk}");
        }
    }

    /// <summary>Which PostgreSQL this ran on: durable commits (as in production) or not (the test cluster).</summary>
    internal static async Task<string> DurabilityAsync(BenchmarkApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_setting('fsync') || ',' || current_setting('synchronous_commit')";
        var settings = ((string)(await command.ExecuteScalarAsync())!).Split(',');
        return $"fsync={settings[0]}, synchronous_commit={settings[1]}";
    }

    /// <summary>
    /// Writes out what creating the benchmark's database left dirty (the whole demo data, copied from the template), and
    /// what else waits for the disk (the build that just ran): on ext4 a commit's flush can wait for other files' data,
    /// and that write-back, which a running office never has at once, would land in the measured commands.
    /// </summary>
    private static async Task CheckpointAsync(BenchmarkApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync("CHECKPOINT");
        if (OperatingSystem.IsLinux())
        {
            Sync();
        }
    }

    [DllImport("libc", EntryPoint = "sync")]
    private static extern void Sync();

    private static async Task<List<Guid>> CompartmentIdsAsync(BenchmarkApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();
        return await db.Compartments
            .Where(c => db.Boxes.Any(b => b.Id == c.BoxId && b.Code == "DLZ-1"))
            .OrderBy(c => c.Module).ThenBy(c => c.Row)
            .Select(c => c.Id)
            .ToListAsync();
    }
}
