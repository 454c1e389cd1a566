using BackOffice.Application.Operations;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackOffice.Infrastructure.Operations;

/// <summary>
/// Claims due outbox rows with one statement: the inner <c>SELECT … FOR UPDATE SKIP LOCKED</c> locks the oldest due
/// rows and passes over any another dispatcher has locked at that moment, the <c>UPDATE</c> moves their next attempt to
/// the lease, so once the statement commits no other round finds them due until the lease ends.
/// </summary>
internal sealed class OutboxClaims(IDbContextFactory<BackOfficeDbContext> contextFactory) : IOutboxClaims
{
    public async Task<IReadOnlyList<Guid>> ClaimAsync(OutboxTable table, DateTimeOffset now, DateTimeOffset lease, int batchSize,
        CancellationToken cancellationToken = default)
    {
        var tableName = table switch
        {
            OutboxTable.WebhookDeliveries => "webhook_deliveries",
            OutboxTable.AlarmMails => "alarm_mails",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE {tableName} SET "NextAttemptAt" = @lease
            WHERE "Id" IN (
                SELECT "Id" FROM {tableName}
                WHERE "Status" = 'Pending' AND "NextAttemptAt" <= @now
                ORDER BY "NextAttemptAt"
                LIMIT @batch
                FOR UPDATE SKIP LOCKED)
            RETURNING "Id"
            """;
        command.Parameters.AddWithValue("lease", lease.ToUniversalTime());
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("batch", batchSize);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}
