using System.Diagnostics;
using BackOffice.Testing;
using Npgsql;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of the suite's own in a temporary folder, on a free loopback port, that tests stop and start
/// (the shared test cluster of infra/test.sh is never touched). Removed with its folder on dispose.
/// </summary>
/// <remarks>
/// PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the <c>postgres</c> user (runuser), and the
/// folder lives under /tmp owned by that user. Flags as in infra/lib/postgres.sh; fsync off (a throw-away cluster).
/// One per test assembly, never stopped, for the scenarios that run side by side; the scenarios that stop PostgreSQL
/// have an <see cref="OutageCluster"/> of their own, because stopping a cluster stops every database on it.
/// </remarks>
public class FaultCluster : IAsyncLifetime
{
    private const string Password = "fault-suite";
    private const string FolderPrefix = "backoffice-faults-";
    private const string OwnerFile = "owner.pid";
    private const string ChildrenFile = "children.pid";
    private static readonly DatabaseTemplate DemoTemplate = DatabaseTemplate.WithDemoData(ChildProcess.DllPath("WebAppPath"));
    private readonly string _root = Path.Combine("/tmp", $"{FolderPrefix}{Guid.NewGuid():N}");
    private readonly Lock _gate = new();
    private string _bin = "";

    public int Port { get; private set; }

    public string DataDirectory => Path.Combine(_root, "data");

    public bool IsRunning { get; private set; }

    /// <summary>A folder for one scenario's files (key ring, bridge journal), removed with the cluster.</summary>
    public string NewScenarioFolder()
    {
        var folder = Path.Combine(_root, "scenarios", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Notes a child process (app or bridge) so that a later run can end it if this test run itself is killed before
    /// its dispose (a test host killed by a timeout leaves its children running).
    /// </summary>
    public void RegisterChild(int processId)
    {
        lock (_gate)
        {
            File.AppendAllText(Path.Combine(_root, ChildrenFile), $"{processId}\n");
        }
    }

    /// <summary>Connection string of the server (database <c>postgres</c>); pooling off so a stopped server leaves nothing stale.</summary>
    public string ServerConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = Password,
        Database = database,
        Pooling = false,
        Timeout = 5,
    }.ConnectionString;

    public virtual async ValueTask InitializeAsync()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderBy(b => b, StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql (infra/test.sh installs them).");
        await CleanUpAfterKilledRunsAsync();
        Port = FreePort.Next();
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(_root, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var passwordFile = Path.Combine(_root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", _root);
            await RunAsync("chmod", "700", DataDirectory);
        }
        await RunAsPostgresAsync(Path.Combine(_bin, "initdb"), "-D", DataDirectory, "-U", "postgres", $"--pwfile={passwordFile}",
            "--auth-host=scram-sha-256", "--auth-local=peer", "--encoding=UTF8", "--locale=C.UTF-8");
        File.Delete(passwordFile);
        await StartAsync();
    }

    /// <summary>Starts the cluster and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off", "start");
        IsRunning = true;
    }

    /// <summary>Stops the cluster at once (<c>pg_ctl stop -m fast</c>): open connections are cut, as in an outage.</summary>
    public async Task StopAsync()
    {
        IsRunning = false;
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");
    }

    /// <summary>The disk died: the server stops at once (<c>-m immediate</c>, no checkpoint) and its data folder is gone.</summary>
    public async Task DestroyAsync()
    {
        IsRunning = false;
        await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop");
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>
    /// A fresh database for one test: a copy of the demo data template the app's own migrate command made on this
    /// cluster at the first call, so the app's start finds it migrated and seeded.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var safe = new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        // PostgreSQL names stop at 63 characters: 6 + 20 + 1 + 32 fits.
        var name = $"fault_{safe}_{Guid.NewGuid():N}";
        await DemoTemplate.CopyToAsync(ServerConnectionString(), name);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        try
        {
            if (Directory.Exists(DataDirectory) && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a server that would not stop still holds files.
            }
        }
    }

    /// <summary>
    /// Clusters and processes of an earlier run whose test host no longer exists: only its own children (by the ids it
    /// noted, and only if they still run the app or the bridge) and its own cluster, by its data folder.
    /// </summary>
    private async Task CleanUpAfterKilledRunsAsync()
    {
        foreach (var folder in Directory.GetDirectories("/tmp", FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(await File.ReadAllTextAsync(owner), out var ownerId) || IsAlive(ownerId))
            {
                continue;
            }
            var children = Path.Combine(folder, ChildrenFile);
            if (File.Exists(children))
            {
                foreach (var line in await File.ReadAllLinesAsync(children))
                {
                    if (int.TryParse(line, out var id) && IsAlive(id)
                        && File.ReadAllText($"/proc/{id}/cmdline").Contains("BackOffice.", StringComparison.Ordinal))
                    {
                        using var child = Process.GetProcessById(id);
                        child.Kill();
                    }
                }
            }
            // Its own cluster, and any a scenario made in its folder (the restore drill's restored cluster).
            foreach (var pid in Directory.EnumerateFiles(folder, "postmaster.pid", SearchOption.AllDirectories).ToList())
            {
                try
                {
                    await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.GetDirectoryName(pid)!, "-m", "immediate", "-w", "-t", "30", "stop");
                }
                catch (InvalidOperationException)
                {
                    // Not running any more.
                }
            }
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Next time.
            }
        }
    }

    private static bool IsAlive(int processId) => Directory.Exists($"/proc/{processId}");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>PostgreSQL's tools of the newest installed version.</summary>
    protected string BinFolder => _bin;

    protected static Task RunAsPostgresAsync(string tool, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", tool, .. arguments]) : RunAsync(tool, arguments);

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}

/// <summary>A cluster of its own for the scenarios that stop and start PostgreSQL, one after another.</summary>
public sealed class OutageCluster : FaultCluster;
