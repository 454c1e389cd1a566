using System.Diagnostics;
using System.Reflection;
using BackOffice.Testing;
using Npgsql;

namespace BackOffice.IntegrationTests;

/// <summary>The operator commands of the real app process, as an administrator runs them on a production machine.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync("cli");

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task CreateStaff_OnAnEmptyProductionDatabase_MigratesAndCreatesTheAdmin()
    {
        var (exit, output) = await RunAsync("Sicheres-Passwort-2026", "create-staff", "--email", "it@stadt.example", "--name", "IT Administration", "--role", "Admin");

        Assert.True(exit == 0, output);
        Assert.Contains("Created Admin account it@stadt.example.", output, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync("""
            SELECT count(*) FROM "AspNetUsers" u
            JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id" JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
            WHERE u."NormalizedEmail" = 'IT@STADT.EXAMPLE' AND r."Name" = 'Admin'
            """));
        Assert.Equal(1L, await ScalarAsync("""SELECT count(*) FROM "AspNetUsers" """));
    }

    [Fact]
    public async Task CreateStaff_WeakPassword_FailsWithTheReasonAndCreatesNothing()
    {
        var (exit, output) = await RunAsync("kurz", "create-staff", "--email", "it@stadt.example", "--name", "IT", "--role", "Admin");

        Assert.Equal(1, exit);
        Assert.Contains("PasswordTooShort", output, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync("""SELECT count(*) FROM "AspNetUsers" """));
    }

    [Fact]
    public async Task CreateStaff_MissingArguments_PrintsUsage()
    {
        var (exit, output) = await RunAsync("Sicheres-Passwort-2026", "create-staff", "--email", "it@stadt.example");

        Assert.Equal(2, exit);
        Assert.Contains("Usage: create-staff", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_PassesOnAnUntouchedTrail_AndFailsAfterALineIsAlteredBehindTheAppsBack()
    {
        Assert.Equal(0, (await RunAsync("", "migrate")).ExitCode);
        await ExecuteAsync("""
            INSERT INTO audit_entries ("At", "Actor", "Action", "Subject", "Outcome", "Details")
            SELECT now() + n * interval '1 second', 'staff:a@stadt.example', 'document.registered', 'document:' || n, 'ok',
                   CASE WHEN n % 2 = 0 THEN 'Größe: ü|ß' END
            FROM generate_series(1, 25) AS n
            """);

        var (intact, intactOutput) = await RunAsync("", "audit-verify");
        Assert.True(intact == 0, intactOutput);
        Assert.Contains("Audit chain intact: 25 lines", intactOutput, StringComparison.Ordinal);

        // Someone with database rights switches the guard off and rewrites a line.
        await ExecuteAsync("""
            ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change;
            UPDATE audit_entries SET "Outcome" = 'refused' WHERE "Id" = (SELECT "EntryId" FROM audit_chain WHERE "Sequence" = 7);
            ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change;
            """);
        var (broken, brokenOutput) = await RunAsync("", "audit-verify");

        Assert.Equal(1, broken);
        Assert.Contains("Line 7 was altered", brokenOutput, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string password, params string[] args)
    {
        var webApp = typeof(CommandLineTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "WebAppPath").Value!;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(webApp);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__BackOffice"] = _database.ConnectionString;
        start.Environment["BACKOFFICE_STAFF_PASSWORD"] = password;
        start.Environment["Privacy__LookupKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        start.Environment["DataProtection__KeyRingPath"] = Path.Combine(Path.GetTempPath(), "backoffice-cli-keys");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
