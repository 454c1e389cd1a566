using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace BackOffice.Benchmarks;

/// <summary>
/// <c>infra/bench.sh database-failover</c> (issue 17): the primary PostgreSQL dies while the app takes registrations, the
/// streaming standby is promoted (<c>infra/standby.sh promote</c>), and the app carries on against it by its
/// multi-host connection string alone (no restart). Counts what was acknowledged before the switch and is missing on
/// the promoted standby (must be 0), the failed requests during the switch and how long the app could not write.
/// </summary>
/// <remarks>
/// Its own two clusters (fsync on, as in production) in a folder under /tmp, made and configured by the operator's
/// scripts (infra/backup.sh setup, infra/standby.sh create/promote); removed afterwards. Ports from
/// BACKOFFICE_FAILOVER_PRIMARY_PORT and BACKOFFICE_FAILOVER_STANDBY_PORT (55447, 55448).
/// </remarks>
internal static class DatabaseFailover
{
    private const string Password = "backoffice-failover";
    private const string ApiKey = "development-only-registration-api-key-0001";

    public static async Task RunAsync(string[] args)
    {
        var synchronous = args.Contains("--synchronous");
        var planned = args.Contains("--planned");
        var before = TimeSpan.FromSeconds(Value(args, "--before", 8));
        var after = TimeSpan.FromSeconds(Value(args, "--after", 10));
        var workers = Value(args, "--workers", 4);
        var primaryPort = Port("BACKOFFICE_FAILOVER_PRIMARY_PORT", 55447);
        var standbyPort = Port("BACKOFFICE_FAILOVER_STANDBY_PORT", 55448);
        var folder = Path.Combine("/tmp", $"backoffice-db-failover-{Guid.NewGuid():N}");
        var primaryData = Path.Combine(folder, "primary");
        var standbyData = Path.Combine(folder, "standby");
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string>
        {
            ["BACKOFFICE_PG_HOST"] = "127.0.0.1",
            ["BACKOFFICE_PG_PORT"] = primaryPort.ToString(CultureInfo.InvariantCulture),
            ["BACKOFFICE_PG_PASSWORD"] = Password,
            ["BACKOFFICE_PG_DATA"] = primaryData,
            ["BACKOFFICE_BACKUP_DIR"] = Path.Combine(folder, "database-backup"),
            ["BACKOFFICE_KEY_BACKUP_DIR"] = Path.Combine(folder, "key-ring-backup"),
        };
        // Both servers in one connection string: Npgsql opens connections on whichever is the primary now, and checks a
        // host's role again after a second (Host Recheck Seconds), so the promoted standby is found within it.
        var connectionString = $"Host=127.0.0.1:{primaryPort},127.0.0.1:{standbyPort};Database=backoffice;Username=postgres;Password={Password};" +
                               "Target Session Attributes=primary;Host Recheck Seconds=1;Timeout=5";
        Process? app = null;
        var output = new StringBuilder();
        try
        {
            Console.WriteLine($"Primary 127.0.0.1:{primaryPort}, standby 127.0.0.1:{standbyPort} ({(synchronous ? "synchronous" : "asynchronous")} replication), " +
                              $"{(planned ? "planned switch (primary stopped cleanly)" : "primary killed (immediate stop, as a crash)")}.");
            await ShellAsync($"source infra/lib/postgres.sh && PG_FSYNC=on start_cluster '{primaryData}' {primaryPort} '{Password}' && ensure_database {primaryPort} '{Password}' backoffice", settings);
            await ShellAsync("infra/backup.sh setup", settings);
            (app, var baseAddress) = await StartAppAsync(connectionString, Path.Combine(folder, "keys"), output);
            await ShellAsync($"infra/standby.sh create --data '{standbyData}' --port {standbyPort}{(synchronous ? " --synchronous" : "")}", settings);

            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var acknowledged = new ConcurrentBag<(Guid Id, DateTime Sent, DateTime At, double Milliseconds)>();
            var failures = new ConcurrentBag<(DateTime At, string Why)>();
            using var stop = new CancellationTokenSource();
            var sequence = Random.Shared.Next(1_000, 9_000) * 10_000;
            var load = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref sequence);
                    var sent = DateTime.UtcNow;
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        var id = await RegisterAsync(http, n);
                        acknowledged.Add((id, sent, DateTime.UtcNow, clock.Elapsed.TotalMilliseconds));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
                    {
                        failures.Add((DateTime.UtcNow, ex.Message.Split('\n')[0]));
                        await Task.Delay(100);
                    }
                }
            })).ToList();

            await Task.Delay(before);
            await ShellAsync($"as_postgres \"$(pg_bin)/pg_ctl\" -D '{primaryData}' -m {(planned ? "fast" : "immediate")} -w stop >/dev/null", settings, sourcePostgres: true);
            // The switch: the moment the primary is gone (requests sent while pg_ctl was stopping it may still have committed there).
            var switchAt = DateTime.UtcNow;
            var promote = Stopwatch.StartNew();
            await ShellAsync($"infra/standby.sh promote --data '{standbyData}'", settings);
            var promotedAt = DateTime.UtcNow;
            Console.WriteLine($"Primary stopped at {switchAt:HH:mm:ss.fff}, standby promoted in {promote.ElapsedMilliseconds} ms.");
            await Task.Delay(after);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            var beforeSwitch = acknowledged.Where(a => a.At < switchAt).ToList();
            var afterSwitch = acknowledged.Where(a => a.At >= switchAt).ToList();
            var present = await PresentAsync(standbyPort, acknowledged.Select(a => a.Id).ToArray());
            var lostBefore = beforeSwitch.Count(a => !present.Contains(a.Id));
            var lostAfter = afterSwitch.Count(a => !present.Contains(a.Id));
            // Only a request sent after the primary went away shows the app writing to the promoted standby.
            var sentAfter = afterSwitch.Where(a => a.Sent >= switchAt).ToList();
            var firstAfter = sentAfter.Count > 0 ? sentAfter.Min(a => a.At) : (DateTime?)null;
            Console.WriteLine($"Registrations acknowledged before the switch: {beforeSwitch.Count}, on the promoted standby: {beforeSwitch.Count - lostBefore}, lost: {lostBefore}");
            Console.WriteLine($"Registrations acknowledged after the switch:  {afterSwitch.Count}, on the promoted standby: {afterSwitch.Count - lostAfter}, lost: {lostAfter}");
            Console.WriteLine($"Requests that failed (the client saw an error; none of them was acknowledged): {failures.Count}" +
                              (failures.IsEmpty ? "" : $", e.g. {failures.First().Why}"));
            Console.WriteLine(firstAfter is { } first
                ? $"Writes stopped for {(first - switchAt).TotalMilliseconds:0} ms (primary gone to the first registration sent afterwards and acknowledged; promotion took {(promotedAt - switchAt).TotalMilliseconds:0} ms of it), without restarting the app."
                : "No registration succeeded after the switch: the app did not reach the promoted standby.");
            if (beforeSwitch.Count > 0)
            {
                Console.WriteLine($"Registration before the switch: {Percentiles.Summary(beforeSwitch.Select(a => a.Milliseconds).ToList())}");
            }
            var settled = afterSwitch.Where(a => a.Sent >= promotedAt.AddSeconds(2)).ToList();
            if (settled.Count > 0)
            {
                Console.WriteLine($"Registration from 2 s after the promotion: {Percentiles.Summary(settled.Select(a => a.Milliseconds).ToList())}");
            }
            Console.WriteLine($"LOST={lostBefore + lostAfter}");
            if (lostBefore + lostAfter > 0 || firstAfter is null)
            {
                Environment.ExitCode = 1;
            }
        }
        finally
        {
            if (app is { HasExited: false })
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
            app?.Dispose();
            foreach (var data in new[] { standbyData, primaryData })
            {
                await ShellAsync($"[ -f '{data}/postmaster.pid' ] && as_postgres \"$(pg_bin)/pg_ctl\" -D '{data}' -m immediate -w stop >/dev/null || true", settings, sourcePostgres: true);
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Guid> RegisterAsync(HttpClient http, int n)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents")
        {
            Content = JsonContent.Create(new
            {
                type = "IdCard",
                documentNumber = $"F{n:00000000}",
                holderName = $"Erika Mustermann {n}",
                dateOfBirth = "1983-08-12",
                mobileNumber = $"0170 {1_000_000 + (n % 8_000_000)}",
                applicationReference = $"FAILOVER-{n}",
                boxCode = "DLZ-1",
            }),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        }
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<HashSet<Guid>> PresentAsync(int port, Guid[] ids)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Database=backoffice;Username=postgres;Password={Password};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Id" FROM documents WHERE "Id" = ANY(@ids)""", connection);
        command.Parameters.AddWithValue("ids", ids);
        var present = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            present.Add(reader.GetGuid(0));
        }
        return present;
    }

    private static async Task<(Process App, Uri BaseAddress)> StartAppAsync(string connectionString, string keyRing, StringBuilder output)
    {
        var dll = Path.Combine(AppProcess.RepositoryRoot, "src", "BackOffice.Web", "bin", "Release", "net10.0", "BackOffice.Web.dll");
        var baseAddress = new Uri($"http://127.0.0.1:{AppProcess.FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", baseAddress.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BackOffice"] = connectionString;
        start.Environment["Database__SeedDemoData"] = "true";
        start.Environment["DataProtection__KeyRingPath"] = keyRing;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment["RateLimits__RegistrationApi__PermitLimit"] = "1000000";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web app.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {process.ExitCode}:\n{output}");
            }
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return (process, baseAddress);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Still starting.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The web app did not become ready in time:\n{output}");
    }

    /// <summary>Runs a bash command in the repository root with the backup settings; fails with its output.</summary>
    private static async Task ShellAsync(string command, IReadOnlyDictionary<string, string> settings, bool sourcePostgres = false)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppProcess.RepositoryRoot,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(sourcePostgres ? $"source infra/lib/postgres.sh && {command}" : command);
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = (await stdout + await stderr).Trim();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} failed ({process.ExitCode}):\n{text}");
        }
        if (text.Length > 0)
        {
            Console.WriteLine(text);
        }
    }

    private static int Value(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), CultureInfo.InvariantCulture, out var port) ? port : fallback;
}
