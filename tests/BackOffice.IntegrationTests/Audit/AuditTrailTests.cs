using BackOffice.Application.Audit;
using BackOffice.IntegrationTests.Infrastructure;
using Npgsql;

namespace BackOffice.IntegrationTests.Audit;

/// <summary>The audit trail as the database enforces it: append-only, hash-chained, verified by the app's own check.</summary>
public class AuditTrailTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Theory]
    [InlineData("""UPDATE audit_entries SET "Outcome" = 'ok'""")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("TRUNCATE audit_entries")]
    public async Task ChangingOrDeletingLines_IsRefusedByTheDatabase(string sql)
    {
        await WriteAsync("staff:test", "box.updated", "box:DLZ-1");

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryLine_IsChainedToThePreviousOne_AsTheAppComputesIt()
    {
        await WriteAsync("staff:jana@stadt.example", "document.pin_reissued", "document:1", "Identität geprüft: Ausweis – „ü“ 😀");
        await WriteAsync("box:DLZ-1", "bridge.door", "compartment:DLZ-1/01-03", null);

        await using var db = await app.NewDbContextAsync();
        var lines = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.Sequence));
        var previous = "";
        foreach (var line in lines)
        {
            Assert.Equal(previous, line.PreviousHash);
            Assert.Equal(AuditChain.ComputeHash(previous, line.Sequence, line.At, line.Actor, line.Action, line.Subject, line.Outcome, line.Details), line.Hash);
            previous = line.Hash;
        }
        Assert.True((await app.Services.GetRequiredService<AuditChain>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task LinesWrittenAtTheSameTime_FormOneUnbrokenChain()
    {
        await WriteAsync("system", "test.parallel", "test:first"); // starts the app once, before the burst
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => WriteAsync("system", "test.parallel", $"test:{i}"))));

        var check = await app.Services.GetRequiredService<AuditChain>().VerifyAsync();

        Assert.True(check.Intact, check.Message);
    }

    [Fact]
    public async Task SignInAndItsFailure_AreAudited_WithoutThePassword()
    {
        using var client = app.CreateBrowserClient();
        await StaffSession.SubmitLoginAsync(client, "sachbearbeitung@demo.local", "falsches-Passwort-1");
        await StaffSession.SignInAsync(client, "sachbearbeitung@demo.local", BackOffice.Infrastructure.Identity.DemoStaff.Password);

        await using var db = await app.NewDbContextAsync();
        var lines = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "staff.signin").OrderBy(a => a.Sequence).ToListAsync();
        Assert.Equal(["failed", "ok"], lines.TakeLast(2).Select(l => l.Outcome));
        Assert.All(lines, l => Assert.Equal("staff:sachbearbeitung@demo.local", l.Actor));
        Assert.DoesNotContain(await db.AuditEntries.Select(a => a.Details).ToListAsync(), d => d != null && d.Contains("Passwort", StringComparison.Ordinal));
    }

    private async Task WriteAsync(string actor, string action, string subject, string? details = "test")
    {
        await using var db = await app.NewDbContextAsync();
        app.Services.GetRequiredService<AuditTrail>().Record(db, actor, action, subject, "ok", details);
        await db.SaveChangesAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
