using BackOffice.Infrastructure.Persistence;
using BackOffice.Testing;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BackOffice.IntegrationTests;

/// <summary>
/// EF Core's migrations own the schema. These tests prove that the migrations build exactly the schema the model
/// expects (column by column, index by index, constraint by constraint), that the model has no change a migration
/// lacks, that migrating twice or from several instances at once is safe, and that the audit chain's triggers exist.
/// </summary>
public sealed class SchemaTests : IAsyncLifetime
{
    private TestDatabase _migrated = null!;
    private TestDatabase _fromModel = null!;

    public async ValueTask InitializeAsync()
    {
        _migrated = await TestDatabase.CreateAsync("schema_migrated");
        _fromModel = await TestDatabase.CreateAsync("schema_model");
    }

    public async ValueTask DisposeAsync()
    {
        await _migrated.DisposeAsync();
        await _fromModel.DisposeAsync();
    }

    [Fact]
    public async Task MigratedSchema_EqualsTheSchemaOfTheEfModel()
    {
        await MigrateAsync(_migrated.ConnectionString);
        await using (var context = DesignTimeDbContextFactory.Create(_fromModel.ConnectionString))
        {
            await context.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        }

        var migrated = await DescribeSchemaAsync(_migrated.ConnectionString);
        var expected = await DescribeSchemaAsync(_fromModel.ConnectionString);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, migrated);
    }

    [Fact]
    public async Task Model_HasNoChangeThatNoMigrationHolds()
    {
        // What `dotnet ef migrations add` compares: true here means the next migration would not be empty.
        await using var context = DesignTimeDbContextFactory.Create(_migrated.ConnectionString);

        Assert.False(context.Database.HasPendingModelChanges(),
            "The model changed without a migration: run dotnet ef migrations add <Name> --project src/BackOffice.Infrastructure --output-dir Persistence/Migrations.");
    }

    [Fact]
    public async Task Migrate_SecondRun_AppliesNothing()
    {
        await MigrateAsync(_migrated.ConnectionString);
        var afterFirst = await AppliedAsync(_migrated.ConnectionString);

        await MigrateAsync(_migrated.ConnectionString);

        await using var context = DesignTimeDbContextFactory.Create(_migrated.ConnectionString);
        Assert.Equal(context.Database.GetMigrations(), afterFirst);
        Assert.Empty(await context.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(afterFirst, await AppliedAsync(_migrated.ConnectionString));
    }

    [Fact]
    public async Task Migrate_ManyInstancesAtOnce_EachMigrationAppliedOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => MigrateAsync(_migrated.ConnectionString)));

        await using var context = DesignTimeDbContextFactory.Create(_migrated.ConnectionString);
        Assert.Equal(context.Database.GetMigrations(), await AppliedAsync(_migrated.ConnectionString));
    }

    [Fact]
    public async Task Migrate_AuditTrail_IsChainedAndAppendOnlyInTheDatabase()
    {
        await MigrateAsync(_migrated.ConnectionString);

        var triggers = await QueryAsync(_migrated.ConnectionString,
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass AND NOT tgisinternal ORDER BY tgname");
        Assert.Equal(["audit_entries_enqueue", "audit_entries_no_change", "audit_entries_no_truncate"], triggers);
        Assert.Equal(["audit_chain_link", "audit_chain_no_change", "audit_chain_no_truncate"], await QueryAsync(_migrated.ConnectionString,
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_chain'::regclass AND NOT tgisinternal ORDER BY tgname"));
        await ExecuteAsync(_migrated.ConnectionString,
            """INSERT INTO audit_entries ("At", "Actor", "Action", "Subject", "Outcome") VALUES (now(), 'test', 'a', 's', 'ok')""");
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_migrated.ConnectionString, "DELETE FROM audit_entries"));
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);

        // The line waits for its link; linking computes it, whatever a writer of the link claims.
        Assert.Equal(["1"], await QueryAsync(_migrated.ConnectionString, "SELECT count(*)::text FROM audit_chain_pending"));
        Assert.Equal(["1"], await QueryAsync(_migrated.ConnectionString, "SELECT audit_chain_extend(10)::text"));
        Assert.Equal(["0"], await QueryAsync(_migrated.ConnectionString, "SELECT audit_chain_extend(10)::text"));
        await ExecuteAsync(_migrated.ConnectionString,
            """INSERT INTO audit_entries ("At", "Actor", "Action", "Subject", "Outcome") VALUES (now(), 'test', 'b', 's', 'ok')""");
        await ExecuteAsync(_migrated.ConnectionString, """
            INSERT INTO audit_chain ("Sequence", "EntryId", "PreviousHash", "Hash")
            SELECT 99, "Id", 'forged', 'forged' FROM audit_entries WHERE "Action" = 'b'
            """);
        Assert.Equal(["1 ", "2 forged=false"], await QueryAsync(_migrated.ConnectionString, """
            SELECT "Sequence" || ' ' || CASE WHEN "PreviousHash" = '' THEN '' ELSE 'forged=' || ("Hash" = 'forged') END
            FROM audit_chain ORDER BY "Sequence"
            """));
        error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_migrated.ConnectionString, "DELETE FROM audit_chain"));
        Assert.Contains("audit_chain is append-only", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_DatabaseOfTheOldScriptRunner_IsRefusedWithWhatToDo()
    {
        await ExecuteAsync(_migrated.ConnectionString, $"CREATE TABLE {DatabaseInitializer.ScriptRunnerHistoryTable} (version integer PRIMARY KEY)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateAsync(_migrated.ConnectionString));

        Assert.Contains("infra/run.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains("docs/decisions/0020-ef-core-migrations.md", error.Message, StringComparison.Ordinal);
        Assert.Empty(await QueryAsync(_migrated.ConnectionString, "SELECT tablename FROM pg_tables WHERE tablename = 'boxes'"));
    }

    /// <summary>The app's own migration step (as at start-up and in the migrate command).</summary>
    private static Task MigrateAsync(string connectionString) =>
        DatabaseInitializer.MigrateAsync(new ContextFactory(connectionString), NullLogger.Instance, TestContext.Current.CancellationToken);

    private static Task<List<string>> AppliedAsync(string connectionString) =>
        QueryAsync(connectionString, $"""SELECT "MigrationId" FROM "{HistoryRepository.DefaultTableName}" ORDER BY "MigrationId" """);

    /// <summary>Tables, columns, indexes and constraints of the public schema as sorted text lines.</summary>
    private static async Task<List<string>> DescribeSchemaAsync(string connectionString)
    {
        const string history = HistoryRepository.DefaultTableName;
        var lines = await QueryAsync(connectionString, $"""
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                   || coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable
                   || ' default=' || coalesce(column_default, '-')
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '{history}'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> '{history}'
            UNION ALL
            SELECT 'constraint ' || rel.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = 'public' AND rel.relname <> '{history}'
            """);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> QueryAsync(string connectionString, string sql)
    {
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class ContextFactory(string connectionString) : IDbContextFactory<BackOfficeDbContext>
    {
        public BackOfficeDbContext CreateDbContext() => DesignTimeDbContextFactory.Create(connectionString);
    }
}
