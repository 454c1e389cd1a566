using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Npgsql;

namespace BackOffice.IntegrationTests.Audit;

/// <summary>The audit trail as the database enforces it: append-only, hash-chained, verified by the app's own check.</summary>
public class AuditTrailTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Theory]
    [InlineData("""UPDATE audit_entries SET "Outcome" = 'ok'""")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("TRUNCATE audit_entries CASCADE")] // without CASCADE, the links' foreign key refuses it first
    [InlineData("""UPDATE audit_chain SET "Hash" = ''""")]
    [InlineData("DELETE FROM audit_chain")]
    [InlineData("TRUNCATE audit_chain")]
    public async Task ChangingOrDeletingLines_IsRefusedByTheDatabase(string sql)
    {
        await WriteAsync("staff:test", "box.updated", "box:DLZ-1");
        await app.Services.GetRequiredService<IAuditChainLinker>().LinkPendingAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryLine_IsChainedToThePreviousOne_AsTheAppComputesIt()
    {
        await WriteAsync("staff:jana@stadt.example", "document.pin_reissued", "document:1", "Identität geprüft: Ausweis – „ü“ 😀");
        await WriteAsync("box:DLZ-1", "bridge.door", "compartment:DLZ-1/01-03", null);

        // Linked moments after the commit, by the app's own linker.
        await using var db = await app.NewDbContextAsync();
        await Eventually.WaitUntilAsync(async () => !await db.Set<BackOffice.Infrastructure.Audit.PendingAuditLink>().AnyAsync(), "every line is linked");
        var links = await db.AuditChain.AsNoTracking().OrderBy(l => l.Sequence)
            .Join(db.AuditEntries.AsNoTracking(), l => l.EntryId, a => a.Id, (l, a) => new { Link = l, Line = a }).ToListAsync();
        Assert.Equal(await db.AuditEntries.CountAsync(), links.Count);
        Assert.Equal(Enumerable.Range(1, links.Count).Select(i => (long)i), links.Select(l => l.Link.Sequence));
        var previous = "";
        foreach (var (link, line) in links.Select(l => (l.Link, l.Line)))
        {
            Assert.Equal(previous, link.PreviousHash);
            Assert.Equal(AuditChain.ComputeHash(previous, link.Sequence, line.At, line.Actor, line.Action, line.Subject, line.Outcome, line.Details), link.Hash);
            previous = link.Hash;
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
    public async Task ALineTakenOutOfTheQueueBehindTheDatabasesBack_IsFoundByTheCheck()
    {
        // Nothing of the app's links it meanwhile: its linker and this test's check take the same lock.
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; SELECT pg_advisory_xact_lock(7311846210455002)", connection))
        {
            await hold.ExecuteNonQueryAsync();
        }
        await WriteAsync("system", "test.unlinked", "test:unlinked");
        await using (var remove = new NpgsqlCommand("""
            DELETE FROM audit_chain_pending WHERE "EntryId" = (SELECT max("Id") FROM audit_entries WHERE "Action" = 'test.unlinked');
            COMMIT
            """, connection))
        {
            await remove.ExecuteNonQueryAsync();
        }

        var check = await app.Services.GetRequiredService<AuditChain>().VerifyAsync();

        Assert.False(check.Intact);
        Assert.Contains("taken out of the chain", check.Message, StringComparison.Ordinal);
        // Put back, so the other tests of the class find the chain whole again.
        await using (var restore = new NpgsqlCommand("""
            INSERT INTO audit_chain_pending ("EntryId") SELECT max("Id") FROM audit_entries WHERE "Action" = 'test.unlinked'
            """, connection))
        {
            await restore.ExecuteNonQueryAsync();
        }
        Assert.True((await app.Services.GetRequiredService<AuditChain>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task SignInAndItsFailure_AreAudited_WithoutThePassword()
    {
        using var client = app.CreateBrowserClient();
        await StaffSession.SubmitLoginAsync(client, "sachbearbeitung@demo.local", "falsches-Passwort-1");
        await StaffSession.SignInAsync(client, "sachbearbeitung@demo.local", BackOffice.Infrastructure.Identity.DemoStaff.Password);

        await using var db = await app.NewDbContextAsync();
        var lines = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "staff.signin").OrderBy(a => a.Id).ToListAsync();
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
