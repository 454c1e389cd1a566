using System.Net.Sockets;
using BackOffice.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackOffice.UnitTests.Persistence;

/// <summary>Which provider errors mean "the database is away, try again in a moment" (the registration API's 503).</summary>
public class PostgresErrorsTests
{
    private static readonly PostgresErrors Errors = new();

    [Theory]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.CrashShutdown)]
    [InlineData(PostgresErrorCodes.CannotConnectNow)]
    [InlineData(PostgresErrorCodes.ReadOnlySqlTransaction)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    public void ServerGoingAwayOrNotTakingWrites_IsUnavailable_AlsoWrappedByEf(string sqlState)
    {
        var postgres = new PostgresException("away", "FATAL", "FATAL", sqlState);

        Assert.True(Errors.IsUnavailable(postgres));
        Assert.True(Errors.IsUnavailable(new DbUpdateException("save failed", postgres)));
        Assert.True(Errors.IsUnavailable(new InvalidOperationException("query failed", postgres)));
    }

    [Fact]
    public void NoConnection_IsUnavailable()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(Errors.IsUnavailable(new InvalidOperationException("An exception has been raised", refused)));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.UndefinedColumn)]
    [InlineData(PostgresErrorCodes.CheckViolation)]
    public void RefusedRowOrABug_IsNotUnavailable(string sqlState)
    {
        Assert.False(Errors.IsUnavailable(new DbUpdateException("save failed", new PostgresException("no", "ERROR", "ERROR", sqlState))));
        Assert.False(Errors.IsUnavailable(new InvalidOperationException("a bug")));
    }
}
