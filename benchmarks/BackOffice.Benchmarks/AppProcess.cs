using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BackOffice.Testing;

namespace BackOffice.Benchmarks;

/// <summary>
/// The web app built in Release as its own process on a free loopback port and a fresh database with the demo data
/// (Development: demo accounts). Its own process, so a heap dump of it holds the app and nothing of the benchmark.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly TestDatabase? _database;
    private readonly ProcessStartInfo _start;
    private readonly StringBuilder _output = new();
    private Process _process = null!;

    private AppProcess(ProcessStartInfo start, TestDatabase? database, Uri baseAddress)
    {
        _start = start;
        _database = database;
        BaseAddress = baseAddress;
    }

    /// <summary>Everything the app wrote so far, over all its runs.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public string ConnectionString => _start.Environment["ConnectionStrings__BackOffice"]!;

    /// <summary>The repository's root (where BackOffice.sln is), found from the benchmark's build output.</summary>
    public static string RepositoryRoot => BackOffice.Testing.RepositoryRoot.Path;

    public static async Task<AppProcess> StartAsync(string purpose)
    {
        var database = await TestDatabase.CreateAsync(purpose);
        return await StartAsync(database.ConnectionString, new Dictionary<string, string>(), database);
    }

    /// <summary>
    /// One more instance on an existing database (the database stays when it ends), with extra settings: several
    /// instances behind nginx (the failover benchmark).
    /// </summary>
    public static Task<AppProcess> StartInstanceAsync(string connectionString, IReadOnlyDictionary<string, string> settings) =>
        StartAsync(connectionString, settings, database: null);

    private static async Task<AppProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string> settings, TestDatabase? database)
    {
        var app = Path.Combine(RepositoryRoot, "src", "BackOffice.Web", "bin", "Release", "net10.0", "BackOffice.Web.dll");
        if (!File.Exists(app))
        {
            throw new FileNotFoundException("Build the web app in Release first (infra/bench.sh does).", app);
        }
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { app, "--urls", baseAddress.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(app)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BackOffice"] = connectionString;
        start.Environment["Database__SeedDemoData"] = "true";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        // Every page signs in from 127.0.0.1.
        start.Environment["RateLimits__SignInPerClient__PermitLimit"] = "10000";
        start.Environment["RateLimits__SignInPerAccount__PermitLimit"] = "10000";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var server = new AppProcess(start, database, baseAddress);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the process (again, after <see cref="Kill"/>) and waits until it is ready.</summary>
    public async Task RestartAsync()
    {
        var process = Process.Start(_start) ?? throw new InvalidOperationException("Could not start the web app.");
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilReadyAsync();
    }

    /// <summary>SIGKILL, as a crash or <c>kill -9</c>: no shutdown, no goodbye to the box.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>
    /// The app's managed heap in bytes after a full GC: a heap dump taken with <c>dotnet-gcdump</c> (the repository's
    /// local tool), summed over its objects.
    /// </summary>
    public async Task<(long Bytes, string Report)> HeapAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"circuits-{Guid.NewGuid():N}.gcdump");
        try
        {
            await RunToolAsync("collect", "-p", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file);
            var report = await RunToolAsync("report", file);
            return (GcDumpReport.TotalBytes(report), report);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> RunToolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in (string[])["tool", "run", "dotnet-gcdump", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet-gcdump.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet-gcdump {string.Join(' ', arguments)} failed: {await output}{await error}");
        }
        return await output;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}:\n{_output}");
            }
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Still starting.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The web app did not become ready in time:\n{_output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
