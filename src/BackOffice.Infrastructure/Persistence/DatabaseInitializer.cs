using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>
/// Brings the database up to date before the web server takes requests: EF Core's migrations, roles, and in Development
/// the demo data.
/// </summary>
internal sealed partial class DatabaseInitializer(IServiceProvider services, IOptions<DatabaseOptions> options) : IHostedService
{
    /// <summary>The old runner's history table (SQL scripts, before issue 16); see docs/decisions/0020-ef-core-migrations.md.</summary>
    internal const string ScriptRunnerHistoryTable = "__schema_migrations";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await InitializeAsync(scope.ServiceProvider, options.Value, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static async Task InitializeAsync(IServiceProvider scoped, DatabaseOptions options, CancellationToken cancellationToken)
    {
        var contexts = scoped.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>();
        if (options.MigrateOnStartup)
        {
            await MigrateAsync(contexts, scoped.GetRequiredService<ILogger<DatabaseInitializer>>(), cancellationToken);
        }
        await PersonalDataBackfill.RunAsync(contexts, cancellationToken);
        var accounts = scoped.GetRequiredService<StaffAccountService>();
        await accounts.EnsureRolesAsync();
        if (options.SeedDemoData)
        {
            await accounts.EnsureDemoAccountsAsync();
            foreach (var seeder in scoped.GetServices<IDemoDataSeeder>())
            {
                await seeder.SeedAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// EF Core's migrator: it takes a lock on the database first (EF Core 9+, Npgsql: an exclusive lock on the history
    /// table), so several instances starting together migrate once, and refuses a model that has changes no migration holds.
    /// </summary>
    internal static async Task MigrateAsync(IDbContextFactory<BackOfficeDbContext> contexts, ILogger logger, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await IsScriptRunnerDatabaseAsync(db, cancellationToken))
        {
            throw new InvalidOperationException(
                $"This database was created by the SQL-script migrations that EF Core migrations replaced (it has {ScriptRunnerHistoryTable}, " +
                "no __EFMigrationsHistory). A development database is rebuilt by infra/run.sh by itself (or drop and create it); " +
                "a database with data to keep is adopted as docs/decisions/0020-ef-core-migrations.md describes.");
        }
        // EF's own lock (the history table, per migration transaction) lets a second instance in between two pending
        // migrations, which then applies the second one again: a session-level advisory lock holds them all.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        try
        {
            // EF reads its history table before creating it and logs the missing table of a new database as an error
            // (dotnet/efcore#37328); created first, a new database starts without that false alarm.
            await CreateHistoryTableAsync(db, cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count == 0)
            {
                return;
            }
            LogMigrating(logger, pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The advisory lock key of the migration step (an arbitrary constant: "ABXM").</summary>
    private const long MigrationLockKey = 0x4142584D;

    private static async Task CreateHistoryTableAsync(BackOfficeDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another instance created it at the same moment (CREATE TABLE IF NOT EXISTS is not atomic in PostgreSQL).
        }
    }

    private static Task<bool> IsScriptRunnerDatabaseAsync(BackOfficeDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<bool>(
            $"""SELECT to_regclass('public.{ScriptRunnerHistoryTable}') IS NOT NULL AND to_regclass('public."__EFMigrationsHistory"') IS NULL AS "Value" """)
            .SingleAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private static partial void LogMigrating(ILogger logger, int count, string migrations);
}

/// <summary>Adds Development demo data for one feature (boxes, documents, ...). Must be safe to run on every start.</summary>
public interface IDemoDataSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
