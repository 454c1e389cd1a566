using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// One of the real programs (app or bridge) as a child process that a test kills with SIGKILL and starts again with
/// the same settings. Its output of every run is kept, for assertions and failure messages.
/// </summary>
public sealed class ChildProcess(string name, string dllKey, IReadOnlyList<string> arguments, Action<int> started) : IDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;
    private int _runs;

    /// <summary>Environment of the next start (<c>Section__Key</c>); tests may change it between runs.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything every run of this program wrote, each run introduced by a marker line.</summary>
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

    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"The {name} is already running.");
        }
        _process?.Dispose();
        var path = DllPath(dllKey);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
        Append($"===== {name} run {++_runs} started {DateTimeOffset.UtcNow:O}");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {name}.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        started(process.Id);
    }

    /// <summary>SIGKILL, as a crash or a power loss: no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            Append($"===== {name} killed {DateTimeOffset.UtcNow:O}");
        }
    }

    public bool HasExited(out int exitCode)
    {
        exitCode = _process is { HasExited: true } p ? p.ExitCode : 0;
        return _process is { HasExited: true };
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The built program named by the assembly's metadata (<c>WebAppPath</c>, <c>BridgeAppPath</c>).</summary>
    public static string DllPath(string key) =>
        typeof(ChildProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
