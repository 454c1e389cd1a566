using Npgsql;

namespace BackOffice.Testing;

/// <summary>
/// A database of its own on the test PostgreSQL server (started by infra/test.sh), dropped on dispose.
/// One per test class: tests in a class share it, classes never see each other's data.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Set by infra/test.sh; the default matches its cluster, so a test run from an IDE works after one test.sh.</summary>
    public static string ServerConnectionString { get; } =
        Environment.GetEnvironmentVariable("BACKOFFICE_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55433;Username=postgres;Password=backoffice-test";

    private TestDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>An empty database: the app under test migrates it at start (or a test checks what happens before).</summary>
    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var name = NewName(purpose);
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"");
        return new TestDatabase(name);
    }

    /// <summary>A copy of a migrated (and seeded) template: the app's start finds nothing left to do.</summary>
    public static async Task<TestDatabase> CopyOfAsync(DatabaseTemplate template, string purpose)
    {
        var name = NewName(purpose);
        await template.CopyToAsync(ServerConnectionString, name);
        return new TestDatabase(name);
    }

    private static string NewName(string purpose)
    {
        // PostgreSQL names stop at 63 characters: 5 + 20 + 1 + 32 fits.
        var safePurpose = new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        return $"test_{safePurpose}_{Guid.NewGuid():N}";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
