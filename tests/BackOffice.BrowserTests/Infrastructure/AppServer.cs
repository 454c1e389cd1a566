using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using BackOffice.Testing;

namespace BackOffice.BrowserTests.Infrastructure;

/// <summary>
/// The real web app as its own process on a free loopback port, on a fresh database (a copy of the demo data template),
/// in Development (demo accounts).
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    /// <summary>The Development key of DLZ-1, seeded with the demo data (BackOffice.Infrastructure.Seeding.DemoBoxes).</summary>
    public const string DemoBridgeKey = "abx1_development-only-key-for-DLZ-1-000000000";

    private readonly Process _process;
    private Process? _bridge;
    private string? _bridgeQueue;
    private readonly StringBuilder _output;
    private readonly TestDatabase _database;

    private AppServer(Process process, StringBuilder output, TestDatabase database, Uri baseAddress)
    {
        _process = process;
        _output = output;
        _database = database;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The app's database, for assertions on what a person cannot see (hashes).</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>Migrated and seeded once per build by the app's own migrate command; each server starts on a copy.</summary>
    private static readonly DatabaseTemplate DemoTemplate = DatabaseTemplate.WithDemoData(AppPath("WebAppPath"));

    // Declared before Pins: static initializers run in order.
    private static byte[] PinPepper { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>The app's PIN hashing, with the pepper this server was started with (to check a PIN against its stored hash).</summary>
    public static BackOffice.Application.Messaging.PickupPins Pins { get; } = new(PinPepper);

    /// <summary>What the app wrote to stdout and stderr, for failure messages.</summary>
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

    /// <summary>The bridge's panel simulator page, when started with one.</summary>
    public Uri? PanelAddress { get; private set; }

    /// <summary>
    /// Starts the real bridge process for DLZ-1 with the lock simulator and waits until the box is connected and its
    /// Hello is done (before that, a change to the box's row makes the Hello fail and the bridge reconnect); with
    /// <paramref name="panel"/>, also its panel simulator page on a free loopback port (<see cref="PanelAddress"/>).
    /// </summary>
    public async Task StartBridgeAsync(TimeSpan? heartbeatInterval = null, bool panel = false)
    {
        _bridgeQueue = Path.Combine(Path.GetTempPath(), $"browser-bridge-{Guid.NewGuid():N}.jsonl");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppPath("BridgeAppPath") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Bridge__ServerUrl"] = BaseAddress.ToString();
        start.Environment["Bridge__BoxKey"] = DemoBridgeKey;
        start.Environment["Bridge__QueuePath"] = _bridgeQueue;
        start.Environment["Bridge__LockDriver"] = "Simulator";
        if (panel)
        {
            PanelAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            start.Environment["Bridge__Panel__Url"] = PanelAddress.ToString().TrimEnd('/');
        }
        if (heartbeatInterval is { } interval)
        {
            start.Environment["Bridge__HeartbeatInterval"] = interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
        _bridge = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bridge.");
        _bridge.OutputDataReceived += (_, e) => Append(_output, e.Data is null ? null : $"[bridge] {e.Data}");
        _bridge.ErrorDataReceived += (_, e) => Append(_output, e.Data is null ? null : $"[bridge] {e.Data}");
        _bridge.BeginOutputReadLine();
        _bridge.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Output.Contains("Bridge of box DLZ-1 connected", StringComparison.Ordinal) || !Output.Contains("Hello done", StringComparison.Ordinal))
        {
            if (_bridge.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The bridge did not connect:\n{Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Stops the bridge process the hard way, as a box losing power or network would.</summary>
    public void KillBridge()
    {
        if (_bridge is { HasExited: false })
        {
            _bridge.Kill(entireProcessTree: true);
            _bridge.WaitForExit(10_000);
        }
    }

    /// <param name="purpose">Names the test database.</param>
    /// <param name="settings">Extra configuration for the app, as environment variables (<c>Section__Key</c>).</param>
    /// <param name="baseAddress">Where the app listens (<see cref="NewBaseAddress"/>), when the settings must name it.</param>
    public static async Task<AppServer> StartAsync(string purpose, IReadOnlyDictionary<string, string>? settings = null, Uri? baseAddress = null)
    {
        var database = await TestDatabase.CopyOfAsync(DemoTemplate, purpose);
        baseAddress ??= NewBaseAddress();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AppPath("WebAppPath"), "--urls", baseAddress.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppPath("WebAppPath"))!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BackOffice"] = database.ConnectionString;
        start.Environment["Database__SeedDemoData"] = "true";
        start.Environment["Pickup__PinPepper"] = Convert.ToBase64String(PinPepper);
        // Every test signs in from 127.0.0.1.
        start.Environment["RateLimits__SignInPerClient__PermitLimit"] = "10000";
        start.Environment["RateLimits__SignInPerAccount__PermitLimit"] = "10000";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the web app.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new AppServer(process, output, database, baseAddress);
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>Stops the app the hard way, as a crash or a lost server would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_bridge is { HasExited: false })
        {
            _bridge.Kill(entireProcessTree: true);
            _bridge.WaitForExit(10_000);
        }
        _bridge?.Dispose();
        if (_bridgeQueue is not null)
        {
            File.Delete(_bridgeQueue);
        }
        Kill();
        _process.Dispose();
        await _database.DisposeAsync();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The web app did not become ready in time:\n{Output}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    /// <summary>A loopback address on a free port, for an app whose settings name its own address (sign-in redirects).</summary>
    public static Uri NewBaseAddress() => new($"http://127.0.0.1:{FreePort.Next()}");

    private static string AppPath(string key) =>
        typeof(AppServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
