using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace BackOffice.Testing;

/// <summary>
/// A database the real app migrated (and seeded with the demo data) once, kept on a test cluster as a PostgreSQL
/// template: a test database is then a copy (<c>CREATE DATABASE … TEMPLATE</c>) instead of a fresh migrate and seed.
/// </summary>
/// <remarks>
/// Made by the app's own <c>migrate</c> command, so it is whatever the app does at start (migrations, roles, demo data),
/// however that is implemented. Named after a hash of the app's assemblies and configuration files: a changed migration,
/// seed or setting makes a new template, and older ones are dropped. An advisory lock on the cluster makes test
/// processes running at the same time build it once; within a process it is looked up once. Thread-safe.
/// </remarks>
public sealed class DatabaseTemplate
{
    /// <summary>Any fixed number; the same for every test process on a cluster.</summary>
    private const long AdvisoryLockKey = 7_311_846_210_455_077;

    private const string Prefix = "tpl_";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Ready = new();

    private readonly string _webAppPath;
    private readonly bool _demoData;
    private readonly Lazy<string> _name;

    private DatabaseTemplate(string webAppPath, bool demoData)
    {
        _webAppPath = webAppPath;
        _demoData = demoData;
        _name = new Lazy<string>(() => $"{Prefix}{(demoData ? "demo" : "empty")}_{BuildHash(webAppPath)}");
    }

    /// <summary>Migrated and seeded with the Development demo data (accounts, DLZ-1, HOL-1), as the app starts in Development.</summary>
    public static DatabaseTemplate WithDemoData(string webAppPath) => new(webAppPath, demoData: true);

    /// <summary>Migrated with the roles only, as a production database after its first start.</summary>
    public static DatabaseTemplate WithoutDemoData(string webAppPath) => new(webAppPath, demoData: false);

    /// <summary>The template's name; ready to copy once <see cref="EnsureAsync"/> returned.</summary>
    public string Name => _name.Value;

    /// <summary>Builds the template on the server if it is missing; returns its name.</summary>
    /// <param name="serverConnectionString">Any database of the cluster; the template is made next to it.</param>
    public Task<string> EnsureAsync(string serverConnectionString)
    {
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        var key = $"{server.Host}:{server.Port}/{Name}";
        var lazy = Ready.GetOrAdd(key, _ => new Lazy<Task<string>>(() => BuildOnceAsync(server.ConnectionString)));
        var task = lazy.Value;
        if (task.IsFaulted)
        {
            // A failed attempt (server restarting) is not cached: the next caller tries again.
            Ready.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, lazy));
        }
        return task;
    }

    /// <summary>A copy of the template as a new database on the server.</summary>
    public async Task CopyToAsync(string serverConnectionString, string database)
    {
        var template = await EnsureAsync(serverConnectionString);
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\"");
    }

    private async Task<string> BuildOnceAsync(string serverConnectionString)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        // Held until this connection closes, also when the build fails or the process dies.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})");
        if (await ExistsAsync(connection, Name))
        {
            return Name;
        }

        var watch = Stopwatch.StartNew();
        var building = Name + "_new";
        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
        await ExecuteAsync(connection, $"CREATE DATABASE \"{building}\"");
        await MigrateAsync(new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = building }.ConnectionString);
        await ExecuteAsync(connection, $"ALTER DATABASE \"{building}\" RENAME TO \"{Name}\"");
        // No one connects to it by mistake (a connection would block every copy); it is only ever copied.
        await ExecuteAsync(connection, $"ALTER DATABASE \"{Name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
        await DropOutdatedAsync(connection);
        Console.WriteLine($"Database template {Name} made in {watch.Elapsed.TotalSeconds:0.0} s.");
        return Name;
    }

    /// <summary>The app's own <c>migrate</c> command, as an operator runs it, on the new database.</summary>
    private async Task MigrateAsync(string connectionString)
    {
        using var keyRing = new TempDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { _webAppPath, "migrate" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_webAppPath)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__BackOffice"] = connectionString;
        start.Environment["Database__SeedDemoData"] = _demoData ? "true" : "false";
        // Required settings; the migration and the demo data encrypt nothing with them.
        start.Environment["Pickup__PinPepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["Privacy__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["DataProtection__KeyRingPath"] = keyRing.Path;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the app's migrate command.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung migrate must not outlive the test run (and hold the template lock's database).
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app's migrate command did not finish within 3 minutes:\n{await output}\n{await error}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"The app's migrate command failed ({process.ExitCode}) on the database template:\n{await output}\n{await error}");
        }
    }

    /// <summary>Templates of earlier builds; one in use by a copy right now stays for the next run to drop.</summary>
    private async Task DropOutdatedAsync(NpgsqlConnection connection)
    {
        var hash = Name[(Name.LastIndexOf('_') + 1)..];
        var outdated = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'tpl\\_%' AND datname NOT LIKE @current", connection))
        {
            command.Parameters.AddWithValue("current", $"%\\_{hash}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                outdated.Add(reader.GetString(0));
            }
        }
        foreach (var name in outdated)
        {
            try
            {
                await ExecuteAsync(connection, $"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE false");
                await ExecuteAsync(connection, $"DROP DATABASE \"{name}\"");
            }
            catch (PostgresException)
            {
                // Being copied by a test process of another build: the next run drops it.
            }
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string name)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name AND datistemplate", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>The app's assemblies and configuration files: whatever decides the schema and the seed.</summary>
    private static string BuildHash(string webAppPath)
    {
        var folder = Path.GetDirectoryName(webAppPath)!;
        var files = Directory.GetFiles(folder, "BackOffice.*.dll").Append(webAppPath).Distinct()
            .Concat(Directory.GetFiles(folder, "appsettings*.json"))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
