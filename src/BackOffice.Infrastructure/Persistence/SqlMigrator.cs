using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BackOffice.Infrastructure.Persistence;

/// <summary>
/// Applies the versioned SQL scripts that own the schema, each in its own transaction, under a PostgreSQL advisory
/// lock so that several app instances starting together migrate once.
/// </summary>
/// <remarks>Singleton; each call opens and closes its own connection.</remarks>
public sealed partial class SqlMigrator(IDbContextFactory<BackOfficeDbContext> contextFactory, ILogger<SqlMigrator> logger)
{
    /// <summary>Any fixed number works; it only has to be the same for every instance of this app.</summary>
    private const long AdvisoryLockKey = 7_311_846_210_455_001;

    public const string HistoryTable = "__schema_migrations";

    public IReadOnlyList<MigrationScript> Scripts { get; } = MigrationScript.LoadEmbedded();

    /// <summary>Applies every script not applied yet; returns the names of those it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);

        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"""
                CREATE TABLE IF NOT EXISTS "{HistoryTable}" (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var newlyApplied = new List<string>();
            foreach (var script in Scripts)
            {
                if (applied.TryGetValue(script.Version, out var checksum))
                {
                    if (!string.Equals(checksum, script.Checksum, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException(
                            $"Migration {script.Name} was changed after it was applied. Add a new script instead of editing an applied one.");
                    }
                    continue;
                }

                await ApplyAsync(connection, script, cancellationToken);
                LogApplied(logger, script.Name);
                newlyApplied.Add(script.Name);
            }
            return newlyApplied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(script.Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var record = new NpgsqlCommand(
            $"""INSERT INTO "{HistoryTable}" (version, name, checksum) VALUES (@version, @name, @checksum)""", connection, transaction))
        {
            record.Parameters.AddWithValue("version", script.Version);
            record.Parameters.AddWithValue("name", script.Name);
            record.Parameters.AddWithValue("checksum", script.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand($"""SELECT version, checksum FROM "{HistoryTable}" """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Migration}")]
    private static partial void LogApplied(ILogger logger, string migration);
}
