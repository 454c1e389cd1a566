using BackOffice.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackOffice.Infrastructure.Persistence;

internal sealed class PostgresErrors : IDatabaseErrors
{
    public bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public bool IsUnavailable(Exception exception)
    {
        // EF wraps the provider's exception (DbUpdateException, an InvalidOperationException for a failed query).
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.ReadOnlySqlTransaction
                        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal); // connection exceptions
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true; // could not connect, connection broken, timed out
            }
        }
        return false;
    }
}
