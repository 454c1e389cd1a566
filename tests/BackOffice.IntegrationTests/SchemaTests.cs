using BackOffice.Infrastructure.Persistence;
using BackOffice.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BackOffice.IntegrationTests;

/// <summary>
/// The SQL scripts own the schema (dotnet-ef is not on the feed). These tests prove that what the scripts build is
/// exactly what the EF model expects, column by column, index by index, constraint by constraint.
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
        await new SqlMigrator(new ContextFactory(_migrated.ConnectionString), NullLogger<SqlMigrator>.Instance)
            .MigrateAsync(TestContext.Current.CancellationToken);
        await using (var context = new ContextFactory(_fromModel.ConnectionString).CreateDbContext())
        {
            await context.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        }

        var migrated = await DescribeSchemaAsync(_migrated.ConnectionString);
        var expected = await DescribeSchemaAsync(_fromModel.ConnectionString);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, migrated);
    }

    [Fact]
    public async Task Migrate_SecondRun_AppliesNothing()
    {
        var migrator = new SqlMigrator(new ContextFactory(_migrated.ConnectionString), NullLogger<SqlMigrator>.Instance);
        var first = await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        var second = await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(migrator.Scripts.Count, first.Count);
        Assert.Empty(second);
    }

    [Fact]
    public async Task Migrate_AppliedScriptEditedAfterwards_IsRefused()
    {
        var migrator = new SqlMigrator(new ContextFactory(_migrated.ConnectionString), NullLogger<SqlMigrator>.Instance);
        await migrator.MigrateAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(_migrated.ConnectionString, $"""UPDATE "{SqlMigrator.HistoryTable}" SET checksum = 'edited' WHERE version = 1""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(TestContext.Current.CancellationToken));

        Assert.Contains("was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_ManyInstancesAtOnce_ApplyEachScriptOnce()
    {
        var migrators = Enumerable.Range(0, 4)
            .Select(_ => new SqlMigrator(new ContextFactory(_migrated.ConnectionString), NullLogger<SqlMigrator>.Instance))
            .ToList();

        var results = await Task.WhenAll(migrators.Select(m => m.MigrateAsync(TestContext.Current.CancellationToken)));

        Assert.Equal(migrators[0].Scripts.Count, results.Sum(r => r.Count));
    }

    /// <summary>Tables, columns, indexes and constraints of the public schema as sorted text lines.</summary>
    private static async Task<List<string>> DescribeSchemaAsync(string connectionString)
    {
        const string sql = $"""
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                   || coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable
                   || ' default=' || coalesce(column_default, '-')
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '{SqlMigrator.HistoryTable}'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> '{SqlMigrator.HistoryTable}'
            UNION ALL
            SELECT 'constraint ' || rel.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = 'public' AND rel.relname <> '{SqlMigrator.HistoryTable}'
            """;
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        lines.Sort(StringComparer.Ordinal);
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
        // The model's converters need the app's personal-data protection: an ephemeral key ring is enough for the schema.
        private static readonly IServiceProvider Services = new ServiceCollection()
            .AddDataProtection().Services
            .Configure<BackOffice.Application.Privacy.PrivacyOptions>(s =>
                s.LookupKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)))
            .AddSingleton<BackOffice.Infrastructure.Privacy.PersonalDataProtection>()
            .BuildServiceProvider();

        public BackOfficeDbContext CreateDbContext() =>
            new(new DbContextOptionsBuilder<BackOfficeDbContext>().UseNpgsql(connectionString)
                .UseApplicationServiceProvider(Services)
                .ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, BackOffice.Infrastructure.Privacy.PersonalDataModelCacheKeyFactory>()
                .Options);
    }
}
