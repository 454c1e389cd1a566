using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Npgsql;

namespace BackOffice.FaultTests.Infrastructure;

/// <summary>
/// A cluster of its own with continuous WAL archiving turned on by the operator's script (<c>infra/backup.sh setup</c>),
/// for the restore drill: its database backups and its key ring backups in two separate folders, as in production.
/// </summary>
/// <remarks>The drill destroys this cluster; nothing else may use it.</remarks>
public sealed class BackupCluster : FaultCluster
{
    private string _folder = "";

    /// <summary>The database backups: base backups (base/) and the WAL archive (wal/).</summary>
    public string BackupFolder => Path.Combine(_folder, "database-backup");

    /// <summary>The key ring backups, deliberately not inside <see cref="BackupFolder"/>.</summary>
    public string KeyBackupFolder => Path.Combine(_folder, "key-ring-backup");

    /// <summary>The passphrase that encrypts the key ring backups.</summary>
    public string PassphraseFile => Path.Combine(_folder, "key-backup.pass");

    public static string RepositoryRoot =>
        typeof(BackupCluster).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _folder = NewScenarioFolder();
        await File.WriteAllTextAsync(PassphraseFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        await RunScriptAsync("backup.sh", ["setup"], Settings(keyRing: "", certificate: ""));
    }

    /// <summary>
    /// The settings infra/backup.sh, standby.sh and restore.sh read (an operator's /etc/backoffice/backup.env) for this
    /// cluster and the app's key ring.
    /// </summary>
    public Dictionary<string, string> Settings(string keyRing, string certificate)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString());
        return new Dictionary<string, string>
        {
            ["BACKOFFICE_PG_HOST"] = "127.0.0.1",
            ["BACKOFFICE_PG_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["BACKOFFICE_PG_USER"] = server.Username!,
            ["BACKOFFICE_PG_PASSWORD"] = server.Password!,
            ["BACKOFFICE_PG_DATA"] = DataDirectory,
            ["BACKOFFICE_BACKUP_DIR"] = BackupFolder,
            ["BACKOFFICE_KEY_BACKUP_DIR"] = KeyBackupFolder,
            ["BACKOFFICE_KEY_RING"] = keyRing,
            ["BACKOFFICE_KEY_CERTIFICATE"] = certificate,
            ["BACKOFFICE_KEY_BACKUP_PASSPHRASE_FILE"] = PassphraseFile,
        };
    }

    /// <summary>Stops a cluster the scripts made (a restored one) and leaves its folder to the suite's clean-up.</summary>
    public async Task StopOtherClusterAsync(string dataDirectory)
    {
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            await RunAsPostgresAsync(Path.Combine(BinFolder, "pg_ctl"), "-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");
        }
    }

    /// <summary>Runs one of the repository's infra/ scripts with bash; returns its output, or fails with it.</summary>
    public static async Task<string> RunScriptAsync(string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "infra", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"bash infra/{script} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var text = $"{await output}{await error}";
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/{script} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{text}");
        }
        return text;
    }
}
