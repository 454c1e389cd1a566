using BackOffice.Application.Abstractions;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackOffice.Infrastructure.Persistence;

internal sealed class PostgresErrors : IDatabaseErrors
{
    public bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
