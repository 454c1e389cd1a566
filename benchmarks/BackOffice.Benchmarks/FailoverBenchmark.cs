using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.Infrastructure.Persistence;
using BackOffice.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Benchmarks;

/// <summary>
/// Two app instances behind nginx (the deployment's site file, TLS), one database, one key ring, one Redis; the real
/// bridge code connected through nginx. Unlocks are issued on a third instance in this process (as a clerk's page on any
/// instance issues them) and pickups come from the box through nginx; mid-run the instance holding the box's connection
/// is killed with SIGKILL and started again 5 s later. Counts what was lost or done twice, and times the reconnect.
/// </summary>
internal static partial class FailoverBenchmark
{
    private const string Connected = "Bridge of box DLZ-1 connected";

    public static async Task RunAsync(BenchmarkOptions options)
    {
        var folder = Directory.CreateTempSubdirectory("failover-").FullName;
        try
        {
            await RunAsync(options, folder);
        }
        finally
        {
            // After nginx and the instances have stopped (their files are in here).
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(BenchmarkOptions options, string folder)
    {
        var unlocks = options.Commands;
        var pickups = unlocks / 5;
        var redis = Environment.GetEnvironmentVariable("BACKOFFICE_REDIS")
            ?? throw new InvalidOperationException("BACKOFFICE_REDIS is not set: run it through infra/bench.sh failover.");
        await using var database = await TestDatabase.CreateAsync("failover");
        var settings = new Dictionary<string, string>
        {
            ["Redis__Configuration"] = redis,
            ["Redis__ChannelPrefix"] = $"bench-{Guid.NewGuid():N}",
            ["DataProtection__KeyRingPath"] = Path.Combine(folder, "keys"),
            ["ReverseProxy__KnownProxies__0"] = "127.0.0.1",
            // One box sending a pickup every few unlocks is what the per-box limit exists to stop; lift it here.
            ["Pickup__MaxRequestsPerBoxPerMinute"] = "1000000",
            ["Serilog__MinimumLevel__Override__BackOffice.Web.Bridge.BoxHub"] = "Information",
        };

        // The third instance, here: it migrates and seeds, and issues the unlocks.
        await using var issuer = BenchmarkApp.StartInstance(database.ConnectionString, settings);
        await using (var db = await issuer.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync())
        {
            await db.Boxes.ExecuteUpdateAsync(s => s.SetProperty(b => b.OpenAroundTheClock, true));
        }
        var doorEvents = 0;
        var ready = await SeedReadyDocumentsAsync(issuer, pickups, () => Interlocked.Increment(ref doorEvents));

        await using var a = await AppProcess.StartInstanceAsync(database.ConnectionString, settings);
        await using var b = await AppProcess.StartInstanceAsync(database.ConnectionString, settings);
        // The certificate whose CA infra/bench.sh made this process trust.
        await using var proxy = new DemoProxy(Path.Combine(folder, "nginx"), [a.BaseAddress, b.BaseAddress],
            Environment.GetEnvironmentVariable("BACKOFFICE_DEMO_TLS"));
        await proxy.StartAsync();

        await using var box = new SimulatedBox(proxy.Address.ToString(), doorClosesAfter: TimeSpan.FromMilliseconds(100));
        var opens = 0;
        box.Lock.DoorChanged += (_, state, _) =>
        {
            Interlocked.Increment(ref doorEvents);
            if (state == "Open")
            {
                Interlocked.Increment(ref opens);
            }
        };
        var received = new ConcurrentDictionary<Guid, long>();
        var arrivals = new ConcurrentDictionary<Guid, TaskCompletionSource<long>>();
        box.Bridge.CommandReceived += command =>
        {
            var now = Stopwatch.GetTimestamp();
            received.TryAdd(command.CommandId, now);
            Arrival(arrivals, command.CommandId).TrySetResult(now);
        };
        await box.Bridge.StartAsync(CancellationToken.None);
        await WaitAsync(() => a.Output.Contains(Connected, StringComparison.Ordinal) || b.Output.Contains(Connected, StringComparison.Ordinal),
            "the bridge connected through nginx");
        var holder = a.Output.Contains(Connected, StringComparison.Ordinal) ? a : b;

        var compartments = await CompartmentIdsAsync(issuer);
        var since = $"'{DateTimeOffset.UtcNow:O}'::timestamptz";
        var commands = issuer.Services.GetRequiredService<BridgeCommandService>();
        var latencies = (Before: new List<double>(), During: new List<double>(), After: new List<double>());
        long? killedAt = null, reconnectedAt = null, restartedAt = null;
        Task restart = Task.CompletedTask;
        var (refused, pickupRetries, pickupsDone) = (0, 0, 0);
        for (var i = 0; i < unlocks; i++)
        {
            if (i == unlocks * 2 / 5)
            {
                holder.Kill();
                killedAt = Stopwatch.GetTimestamp();
                restart = RestartLaterAsync(holder, () => restartedAt = Stopwatch.GetTimestamp());
                _ = WatchReconnectAsync(box, () => reconnectedAt ??= Stopwatch.GetTimestamp());
            }
            var started = Stopwatch.GetTimestamp();
            var issue = await commands.IssueUnlockAsync(compartments[i % compartments.Count], CommandPurpose.Service, "staff:benchmark", reason: "Benchmark");
            if (!issue.Accepted)
            {
                refused++;
                continue;
            }
            long arrival;
            try
            {
                arrival = await Arrival(arrivals, issue.CommandId!.Value).Task.WaitAsync(TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException)
            {
                var status = await CountAsync(issuer, $"""SELECT count(*) FROM bridge_commands WHERE "Id" = '{issue.CommandId}' AND "Status" IN ('Pending', 'Delivered')""");
                throw new TimeoutException($"Unlock {i} ({(killedAt is null ? "before the kill" : "after the kill")}, bridge connected: {box.Bridge.IsConnected}, " +
                    $"still unanswered in the database: {status == 1}) never reached the bridge.\n--- A ---\n{Tail(a.Output)}\n--- B ---\n{Tail(b.Output)}");
            }
            // During: from the kill until the box is connected again (through the other instance).
            var phase = killedAt is null ? latencies.Before : reconnectedAt is null || reconnectedAt > started ? latencies.During : latencies.After;
            phase.Add(Stopwatch.GetElapsedTime(started, arrival).TotalMilliseconds);

            if (i % 5 == 4 && pickupsDone < ready.Count)
            {
                var (phone, pin) = ready[pickupsDone++];
                pickupRetries += await PickUpAsync(box, phone, pin);
            }
        }
        await restart;

        // Every command answered by the box (or its answer on the way from the journal).
        await WaitAsync(async () => await CountAsync(issuer, """
            SELECT count(*) FROM bridge_commands WHERE "Status" IN ('Pending', 'Delivered')
            """) == 0, "every command answered");
        await Task.Delay(TimeSpan.FromSeconds(2)); // the last doors' "Closed", 100 ms after opening
        var issued = await CountAsync(issuer, $"""SELECT count(*) FROM bridge_commands WHERE "CreatedAt" >= {since}""");
        var opened = await CountAsync(issuer, $"""SELECT count(*) FROM bridge_commands WHERE "CreatedAt" >= {since} AND "Status" = 'Opened'""");
        var stored = await CountAsync(issuer, "SELECT count(*) FROM door_events");
        // Lost: issued but not known as opened (never at the bridge, or its result never stored). Twice: more openings at
        // the lock than commands that opened.
        var lostCommands = issued - opened;
        Console.WriteLine($"failover: {unlocks} unlocks and {pickupsDone} pickups through nginx to two instances (the box's instance killed with SIGKILL after " +
                          $"{unlocks * 2 / 5} unlocks, started again 5 s later), {Environment.ProcessorCount} cores, PostgreSQL with {await UnlockLatency.DurabilityAsync(issuer)}");
        Console.WriteLine($"  commands issued {issued} ({refused} refused as box offline), received by the bridge {received.Count}, opened {opened}");
        Console.WriteLine($"  lost commands: {lostCommands}   lost door events: {doorEvents - stored} ({doorEvents} at the locks, {stored} stored)   doors opened twice: {opens - opened}");
        Console.WriteLine($"  bridge reconnected {Milliseconds(killedAt, reconnectedAt)} after the kill; killed instance ready again after {Milliseconds(killedAt, restartedAt)}; pickups retried {pickupRetries} times");
        Console.WriteLine($"  unlock before the kill: {Summary(latencies.Before)}");
        Console.WriteLine($"  unlock until the box is back: {Summary(latencies.During)}");
        Console.WriteLine($"  unlock after that: {Summary(latencies.After)}");
    }

    private static string Summary(List<double> milliseconds) =>
        milliseconds.Count == 0 ? "none" : $"{Percentiles.Summary(milliseconds)} ({milliseconds.Count} unlocks)";

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(30));

    private static TaskCompletionSource<long> Arrival(ConcurrentDictionary<Guid, TaskCompletionSource<long>> arrivals, Guid id) =>
        arrivals.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static string Milliseconds(long? from, long? to) =>
        from is { } f && to is { } t ? $"{Stopwatch.GetElapsedTime(f, t).TotalMilliseconds:0} ms" : "never";

    private static async Task RestartLaterAsync(AppProcess instance, Action ready)
    {
        await Task.Delay(TimeSpan.FromSeconds(5)); // systemd's RestartSec plus a little
        await instance.RestartAsync();
        ready();
    }

    private static async Task WatchReconnectAsync(SimulatedBox box, Action reconnected)
    {
        // The kill is seen first (the connection drops), then the new connection through nginx.
        await WaitAsync(() => !box.Bridge.IsConnected, "the bridge saw the connection drop", pollMilliseconds: 1);
        await WaitAsync(() => box.Bridge.IsConnected, "the bridge reconnected", pollMilliseconds: 1);
        reconnected();
    }

    /// <summary>A pickup at the box's panel; while the box is between connections the citizen tries again. Returns the retries.</summary>
    private static async Task<int> PickUpAsync(SimulatedBox box, string phone, string pin)
    {
        for (var retries = 0; ; retries++)
        {
            try
            {
                var response = await box.Bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), phone, pin, null, "1980-01-01"), CancellationToken.None);
                if (response.Granted)
                {
                    return retries;
                }
                throw new InvalidOperationException($"A pickup was refused: {response.Message}");
            }
            catch (Exception ex) when (ex is not InvalidOperationException || !ex.Message.StartsWith("A pickup", StringComparison.Ordinal))
            {
                if (retries > 300)
                {
                    throw;
                }
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Documents loaded for real in DLZ-1 through this instance alone (its development sender holds the PINs).</summary>
    private static async Task<List<(string Phone, string Pin)>> SeedReadyDocumentsAsync(BenchmarkApp app, int count, Action doorEvent)
    {
        await using var box = new SimulatedBox(app, doorClosesAfter: TimeSpan.FromMilliseconds(10));
        box.Lock.DoorChanged += (_, _, _) => doorEvent();
        await box.Bridge.StartAsync(CancellationToken.None);
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        var registration = app.Services.GetRequiredService<DocumentRegistration>();
        var loading = app.Services.GetRequiredService<DocumentLoading>();
        var ready = new List<(string Phone, string Pin)>();
        for (var i = 0; i < count; i++)
        {
            var phone = $"+4916{4000000 + i}";
            var result = await registration.RegisterAsync(new DocumentDraft
            {
                Type = "Reisepass", DocumentNumber = $"CG{i:0000000}", HolderName = $"Person {i}", DateOfBirth = "01.01.1980",
                MobileNumber = phone, ApplicationReference = $"FAIL-{i:000000}", BoxCode = "DLZ-1",
            }, "staff:benchmark");
            var proposal = await loading.ProposeAsync([result.DocumentId!.Value]);
            await loading.StartAsync([result.DocumentId.Value], proposal!.CompartmentId, "staff:benchmark");
            DevelopmentSms? sms = null;
            await WaitAsync(() => (sms = sender.Messages.FirstOrDefault(m => m.Recipient == phone)) is not null, $"the SMS of document {i}");
            ready.Add((phone, Pin().Match(sms!.Text).Groups[1].Value));
        }
        await box.Bridge.StopAsync(CancellationToken.None);
        return ready;
    }

    private static async Task<List<Guid>> CompartmentIdsAsync(BenchmarkApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();
        return await db.Compartments
            .Where(c => db.Boxes.Any(b => b.Id == c.BoxId && b.Code == "DLZ-1") && c.State == CompartmentState.Free)
            .OrderBy(c => c.Module).ThenBy(c => c.Row)
            .Select(c => c.Id)
            .ToListAsync();
    }

    private static async Task<long> CountAsync(BenchmarkApp app, string sql)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();
        return await db.Database.SqlQueryRaw<long>(sql.Replace("count(*)", "count(*) AS \"Value\"", StringComparison.Ordinal)).SingleAsync();
    }

    private static Task WaitAsync(Func<bool> condition, string what, int pollMilliseconds = 20) =>
        WaitAsync(() => Task.FromResult(condition()), what, pollMilliseconds);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, int pollMilliseconds = 20)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 120;
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Waited in vain for {what}.");
            }
            await Task.Delay(pollMilliseconds);
        }
    }

    [GeneratedRegex(@"PIN: (\d{6})")]
    private static partial Regex Pin();
}
