using System.Diagnostics;

namespace BackOffice.Testing.Modbus;

/// <summary>
/// A real Modbus server (Debian's python3-pymodbus, <c>modbus_box_server.py</c>) laid out like a small box: units 1..N,
/// each with coils (lock releases), discrete inputs (door contacts, all ON = closed at the start) and input registers.
/// Started per test on a free loopback port (TCP) or a pseudo-terminal (RTU), driven over its stdin, killed on dispose.
/// </summary>
public sealed class ModbusBoxServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3"; // Debian's own: the first python3 on PATH may lack pymodbus.
    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly string _transport;
    private readonly int _units;
    private readonly int _points;
    private Process? _process;

    private ModbusBoxServer(string transport, string target, int units, int points)
    {
        _transport = transport;
        Target = target;
        _units = units;
        _points = points;
    }

    /// <summary>
    /// The bridge's settings for a box wired to this server (<c>Bridge:LockDriver = Modbus</c>, fast polling for tests),
    /// as the bridge process reads them.
    /// </summary>
    public Dictionary<string, string?> BridgeTimingOptions(string serverUrl, string boxKey, string boxMapPath, string queuePath) => new()
    {
        ["Bridge:ServerUrl"] = serverUrl,
        ["Bridge:BoxKey"] = boxKey,
        ["Bridge:LockDriver"] = "Modbus",
        ["Bridge:QueuePath"] = queuePath,
        ["Bridge:HeartbeatInterval"] = "00:00:00.200",
        ["Bridge:Modbus:BoxMap"] = boxMapPath,
        ["Bridge:Modbus:Host"] = "127.0.0.1",
        ["Bridge:Modbus:Port"] = $"{Port}",
        ["Bridge:Modbus:PollInterval"] = "00:00:00.050",
        ["Bridge:Modbus:DoorDebounce"] = "00:00:00.050",
    };

    /// <summary>The TCP port, or the serial device the server listens on.</summary>
    public string Target { get; }

    public int Port => int.Parse(Target, System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<ModbusBoxServer> StartTcpAsync(int units = 2, int points = 8)
    {
        var server = new ModbusBoxServer("tcp", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), units, points);
        await server.StartAsync();
        return server;
    }

    public static async Task<ModbusBoxServer> StartRtuAsync(string device, int units = 2, int points = 8)
    {
        var server = new ModbusBoxServer("rtu", device, units, points);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts (again, after <see cref="KillAsync"/>) on the same port with a fresh datastore.</summary>
    public async Task StartAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Modbus", "modbus_box_server.py");
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException("Debian's /usr/bin/python3 is missing; run infra/test.sh, which installs python3-pymodbus.");
        }
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, _transport, Target, "--units", $"{_units}", "--points", $"{_points}" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var ready = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (ready != "ready")
        {
            var error = await _process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException($"The Modbus test server did not start ({ready}): {error} (python3-pymodbus installed? infra/test.sh installs it)");
        }
    }

    /// <summary>Sets a door contact: <paramref name="on"/> = contact closed (door shut in the usual wiring).</summary>
    public Task SetInputAsync(int unit, int address, bool on) => CommandAsync($"di {unit} {address} {(on ? 1 : 0)}");

    public Task SetInputRegisterAsync(int unit, int address, int value) => CommandAsync($"ir {unit} {address} {value}");

    public async Task<bool> CoilAsync(int unit, int address) => await CommandAsync($"coil {unit} {address}") == "1";

    /// <summary>Every coil write the server executed, in order, as "address=value" (e.g. "2=1 2=0" is one pulse of coil 2).</summary>
    public async Task<string> CoilWritesAsync(int unit) => await CommandAsync($"writes {unit}");

    /// <summary>The next <paramref name="count"/> answers are corrupted (TCP: wrong transaction id; RTU: wrong CRC).</summary>
    public Task CorruptAnswersAsync(int count) => CommandAsync($"bad {count}");

    /// <summary>Stops the server at once, like a controller losing power.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Freezes or thaws the server process (SIGSTOP/SIGCONT): the kernel still takes requests, nobody answers.</summary>
    public void Pause(bool paused)
    {
        using var signal = Process.Start("kill", [paused ? "-STOP" : "-CONT", $"{_process!.Id}"]);
        signal.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            Pause(false);
        }
        await KillAsync();
    }

    private async Task<string> CommandAsync(string command)
    {
        await _control.WaitAsync();
        try
        {
            var process = _process ?? throw new InvalidOperationException("The Modbus test server is not running.");
            await process.StandardInput.WriteLineAsync(command);
            await process.StandardInput.FlushAsync();
            var answer = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? "";
            return answer.StartsWith("error", StringComparison.Ordinal) ? throw new InvalidOperationException(answer) : answer;
        }
        finally
        {
            _control.Release();
        }
    }
}

/// <summary>A pseudo-terminal pair from socat: what the bridge writes to <see cref="BridgeEnd"/> arrives at <see cref="ServerEnd"/>.</summary>
public sealed class PtyPair : IAsyncDisposable
{
    private readonly Process _socat;

    private PtyPair(Process socat, string bridgeEnd, string serverEnd)
    {
        _socat = socat;
        BridgeEnd = bridgeEnd;
        ServerEnd = serverEnd;
    }

    public string BridgeEnd { get; }

    public string ServerEnd { get; }

    public static async Task<PtyPair> StartAsync(string directory)
    {
        var bridgeEnd = Path.Combine(directory, "bridge-tty");
        var serverEnd = Path.Combine(directory, "server-tty");
        var socat = Process.Start(new ProcessStartInfo("socat", [$"pty,raw,echo=0,link={bridgeEnd}", $"pty,raw,echo=0,link={serverEnd}"])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("socat did not start (infra/test.sh installs it).");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists(bridgeEnd) && File.Exists(serverEnd)))
        {
            if (DateTime.UtcNow > deadline || socat.HasExited)
            {
                throw new InvalidOperationException("socat made no pseudo-terminal pair.");
            }
            await Task.Delay(20);
        }
        return new PtyPair(socat, bridgeEnd, serverEnd);
    }

    public async ValueTask DisposeAsync()
    {
        _socat.Kill();
        await _socat.WaitForExitAsync();
        _socat.Dispose();
    }
}
