using System.Collections.Concurrent;
using System.Diagnostics;
using BackOffice.Application.Bridge;
using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Web.Components.Controls;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Benchmarks;

/// <summary>
/// The live dashboard under load: 100 subscribers of the box monitor (the service every open dashboard page subscribes
/// to; real Blazor circuits cannot be driven from here) on DLZ-1. Measures the time from the lock reporting a door
/// open at the bridge (so the loopback hop to the hub is included) to the last of the 100 subscribers having the
/// update; the server time to render the 620-compartment grid; and the memory one subscribed page state holds.
/// </summary>
internal static class DashboardLatency
{
    private const int Subscribers = 100;

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var events = options.Commands == 1000 ? 200 : options.Commands;
        await using var app = await BenchmarkApp.StartAsync();
        // Doors stay open long enough to be seen: the dashboard shows the current state, and a door that opened and
        // closed again within one batching window is (rightly) one unchanged cell.
        await using var box = new SimulatedBox(app, doorClosesAfter: TimeSpan.FromSeconds(1));
        var doorOpenedAt = new ConcurrentDictionary<string, long>();
        box.Lock.DoorChanged += (label, state, _) =>
        {
            if (state == nameof(DoorState.Open))
            {
                doorOpenedAt[label] = Stopwatch.GetTimestamp();
            }
        };
        await box.Bridge.StartAsync(CancellationToken.None);

        var monitor = app.Services.GetRequiredService<BoxMonitor>();
        var boxId = (await monitor.FindBoxAsync("DLZ-1"))!.Value;
        var snapshot = (await monitor.SnapshotAsync(boxId))!;

        // What each open page holds: its feed, with the shared snapshot it shows.
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var pages = new List<LiveFeed<BoxSnapshot>>();
        for (var i = 0; i < Subscribers; i++)
        {
            pages.Add((await monitor.WatchBoxAsync(boxId))!);
        }
        var memoryPerPage = (GC.GetTotalMemory(forceFullCollection: true) - memoryBefore) / Subscribers;

        // Each watcher counts in when it sees the door of a compartment open; the last one completes the event.
        var arrivals = new ConcurrentDictionary<string, Arrival>();
        using var stop = new CancellationTokenSource();
        var readers = pages.Select(feed => Task.Run(async () =>
        {
            // Per event (a compartment comes round again after 100 events).
            var counted = new HashSet<Arrival>();
            try
            {
                await foreach (var current in feed.ReadChangesAsync(stop.Token))
                {
                    foreach (var (label, arrival) in arrivals)
                    {
                        if (current.Cells.FirstOrDefault(c => c.Label == label) is { State: CellState.DoorOpen } && counted.Add(arrival))
                        {
                            arrival.CountIn(Stopwatch.GetTimestamp());
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();

        var commands = app.Services.GetRequiredService<BridgeCommandService>();
        // 100 compartments in turn: each door has long closed again when its turn comes round.
        var free = snapshot.Cells.Where(c => c.State == CellState.Free).Take(100).ToList();
        var latencies = new List<double>(events);
        for (var i = 0; i < events + 10; i++)
        {
            var cell = free[i % free.Count];
            var arrival = new Arrival(Subscribers);
            arrivals[cell.Label] = arrival;
            var issue = await commands.IssueUnlockAsync(cell.Id, CommandPurpose.Service, "staff:benchmark", reason: "Benchmark");
            if (!issue.Accepted)
            {
                throw new InvalidOperationException($"Unlock of {cell.Label} refused: {issue.Refusal}");
            }
            var lastArrival = await arrival.Completed.WaitAsync(TimeSpan.FromSeconds(10));
            if (i >= 10)
            {
                latencies.Add(Stopwatch.GetElapsedTime(doorOpenedAt[cell.Label], lastArrival).TotalMilliseconds);
            }
            arrivals.TryRemove(cell.Label, out _);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        foreach (var feed in pages)
        {
            feed.Dispose();
        }

        var render = await RenderGridAsync(snapshot);
        var (overviewCold, overviewWarm, boxes, compartments) = await OverviewOfTenBoxesAsync(app);
        Console.WriteLine($"dashboard: {events} door events after 10 warm-up, {Subscribers} watchers of the box monitor (not real circuits: see circuits)");
        Console.WriteLine($"  door open at the bridge -> all {Subscribers} watchers have it: {Percentiles.Summary(latencies)}");
        Console.WriteLine($"  server render of the {snapshot.Cells.Count}-compartment grid after one cell changed (HtmlRenderer): {Percentiles.Summary(render)}");
        Console.WriteLine($"  memory per watcher (its feed and the shared snapshot it holds; render tree excluded): {memoryPerPage / 1024.0:0.0} KiB");
        Console.WriteLine($"  overview of {boxes} boxes ({compartments} compartments): first load {overviewCold:0} ms (all boxes from the database), then {overviewWarm:0.00} ms");
    }

    /// <summary>Nine more boxes like DLZ-1 (620 compartments each), then the overview's first (cold) and a warm load.</summary>
    private static async Task<(double Cold, double Warm, int Boxes, int Compartments)> OverviewOfTenBoxesAsync(BenchmarkApp app)
    {
        await using (var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<BackOffice.Infrastructure.Persistence.BackOfficeDbContext>>().CreateDbContextAsync())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, """
                INSERT INTO boxes ("Id", "Code", "Name", "Address", "TimeZoneId", "OpenAroundTheClock", "PickupDeadlineDays", "Faults", "FourEyesLoading")
                SELECT gen_random_uuid(), 'BENCH-' || n, 'Benchmark ' || n, b."Address", b."TimeZoneId", true, 10, ARRAY[]::text[], false
                FROM boxes b, generate_series(1, 9) AS n WHERE b."Code" = 'DLZ-1';
                INSERT INTO compartments ("Id", "BoxId", "Label", "Module", "Row", "Size", "Accessible", "State", "DoorState")
                SELECT gen_random_uuid(), x."Id", c."Label", c."Module", c."Row", c."Size", c."Accessible", 'Free', 'Closed'
                FROM boxes x, compartments c JOIN boxes d ON d."Id" = c."BoxId" AND d."Code" = 'DLZ-1'
                WHERE x."Code" LIKE 'BENCH-%';
                """);
        }
        // A monitor of its own, as after a restart: nothing cached yet.
        var fresh = ActivatorUtilities.CreateInstance<BoxMonitor>(app.Services);
        var started = Stopwatch.GetTimestamp();
        var overview = await fresh.OverviewAsync();
        var cold = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        started = Stopwatch.GetTimestamp();
        await fresh.OverviewAsync();
        var warm = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var dlz = overview.Where(b => b.Code == "DLZ-1" || b.Code.StartsWith("BENCH-", StringComparison.Ordinal)).ToList();
        return (cold, warm, dlz.Count, dlz.Sum(b => b.Compartments));
    }

    /// <summary>The grid of a new snapshot in which one cell changed, as after a door event (its row's markup is rebuilt).</summary>
    private static async Task<List<double>> RenderGridAsync(BoxSnapshot snapshot)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddLocalization(options => options.ResourcesPath = "Resources")
            .BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var timings = new List<double>();
        for (var i = 0; i < 60; i++)
        {
            var cells = snapshot.Cells.ToArray();
            var changed = i % cells.Length;
            cells[changed] = cells[changed] with { State = cells[changed].State == CellState.DoorOpen ? CellState.Free : CellState.DoorOpen };
            snapshot = new BoxSnapshot(snapshot.Box, cells, snapshot.Index);
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(CompartmentGrid.Snapshot)] = snapshot });
            var started = Stopwatch.GetTimestamp();
            var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<CompartmentGrid>(parameters)).ToHtmlString());
            if (i >= 10)
            {
                timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            if (html.Length < cells.Length * 50)
            {
                throw new InvalidOperationException("The grid rendered less than expected.");
            }
        }
        return timings;
    }

    /// <summary>Counts subscribers in; the last one completes it with its arrival time.</summary>
    private sealed class Arrival(int expected)
    {
        private int _remaining = expected;

        public TaskCompletionSource<long> Source { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<long> Completed => Source.Task;

        public void CountIn(long timestamp)
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                Source.TrySetResult(timestamp);
            }
        }
    }
}
