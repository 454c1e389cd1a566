using System.Net;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Documents;
using BackOffice.Application.Jobs;
using BackOffice.Application.Messaging;
using BackOffice.Application.Operations;
using BackOffice.Domain.Messaging;
using BackOffice.Domain.Operations;
using BackOffice.Infrastructure.Audit;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Jobs;
using BackOffice.Infrastructure.Persistence;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace BackOffice.IntegrationTests.HighAvailability;

/// <summary>
/// Two app instances on one database and one key ring (docs/decisions/0026): each piece of background work happens
/// once, a leader job moves to the other instance when its leader goes, and a cookie or personal data protected by one
/// instance is read by the other.
/// </summary>
public sealed class TwoInstancesTests(TwoInstances cluster) : IClassFixture<TwoInstances>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SmsOutbox_FiftyMessagesWithBothInstancesSending_EachIsSentExactlyOnce()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        await using (var db = await cluster.A.Services.GetRequiredService<IApplicationDbContextFactory>().CreateAsync(Token))
        {
            var outbox = cluster.A.Services.GetRequiredService<SmsOutbox>();
            for (var i = 0; i < 50; i++)
            {
                ids.Add(outbox.Enqueue(db, $"+4917012{i:D5}", SmsPurpose.ReadyForPickup, null, $"{tag} Nachricht {i}").Id);
            }
            await db.SaveChangesAsync(Token);
        }
        // A is woken by its own enqueue; B finds them at its next poll: both work the outbox at once.
        cluster.B.Services.GetRequiredService<SmsDispatchSignal>().Wake();

        await Eventually.WaitUntilAsync(async () => await CountSentAsync(ids) == ids.Count, "all 50 SMS are recorded as sent", Settle);
        var sent = cluster.SentSms.Where(s => s.Text.StartsWith(tag, StringComparison.Ordinal)).ToList();

        Assert.Equal(50, sent.Count);
        Assert.Equal(50, sent.Select(s => s.Text).Distinct().Count());
        Assert.Contains(sent, s => s.Instance == cluster.A.Name);
        Assert.Contains(sent, s => s.Instance == cluster.B.Name);
    }

    [Fact]
    public async Task WebhookOutbox_FortyEventsWithBothInstancesDelivering_EachIsDeliveredExactlyOnce()
    {
        var ids = new List<Guid>();
        // Its own document: the demo data has none, and another test's may not exist yet (tests run in any order).
        var documentId = await RegisterAsync(cluster.A, "Webhook Probe");
        await using (var db = await NewDbContextAsync(cluster.A))
        {
            var document = await db.Documents.AsNoTracking().Where(d => d.Id == documentId).Select(d => new { d.Id, d.ApplicationReference }).SingleAsync(Token);
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < 40; i++)
            {
                var delivery = new WebhookDelivery
                {
                    Id = Guid.NewGuid(), DocumentId = document.Id, ApplicationReference = document.ApplicationReference,
                    Event = WebhookEvent.Loaded, OccurredAt = now, NextAttemptAt = now,
                };
                db.WebhookDeliveries.Add(delivery);
                ids.Add(delivery.Id);
            }
            await db.SaveChangesAsync(Token);
        }
        cluster.A.Services.GetRequiredService<WebhookSignal>().Wake();
        cluster.B.Services.GetRequiredService<WebhookSignal>().Wake();

        await Eventually.WaitUntilAsync(async () => await CountDeliveredAsync(ids) == ids.Count, "all 40 webhooks are recorded as delivered", Settle);
        var sent = cluster.SentWebhooks.Where(w => ids.Contains(w.Delivery)).ToList();

        Assert.Equal(40, sent.Count);
        Assert.Equal(40, sent.Select(w => w.Delivery).Distinct().Count());
        Assert.Contains(sent, w => w.Instance == cluster.A.Name);
        Assert.Contains(sent, w => w.Instance == cluster.B.Name);
    }

    [Fact]
    public async Task LeaderJobs_RunOnExactlyOneInstance_AndMoveWhenTheLeaderGoes()
    {
        await Eventually.WaitUntilAsync(() => EachJobHasOneLeader(cluster.A, cluster.B), "every leader job has exactly one leader", Settle);
        // Several election rounds later the other instance still has not run any of them.
        await Task.Delay(TimeSpan.FromSeconds(1), Token);
        Assert.True(EachJobHasOneLeader(cluster.A, cluster.B));
        Assert.Equal(LeaderJobs.All.Count, await HeldLeaderLocksAsync());
        // Retention runs at once on the instance that takes the lead, and only there: one run for two instances.
        Assert.Equal(1, await RetentionRunsSinceStartAsync());

        // The leaders' lock connections end, as when their process is killed: PostgreSQL frees the locks, each leader
        // notices at its next check and stops, and every job gets one leader again.
        await TerminateLeaderConnectionsAsync();
        await Eventually.WaitUntilAsync(() => EachJobHasOneLeader(cluster.A, cluster.B), "every job is led again", Settle);
        await Eventually.WaitUntilAsync(async () => await HeldLeaderLocksAsync() == LeaderJobs.All.Count, "the locks are held again", Settle);

        // B stops: A takes over whatever B led.
        await cluster.StopBAsync();
        await Eventually.WaitUntilAsync(() => LeaderJobs.All.All(Leadership(cluster.A).Leads), "A leads every job", Settle);
        Assert.Equal(LeaderJobs.All.Count, await HeldLeaderLocksAsync());

        // A new instance finds every job led and leads none.
        cluster.StartB();
        await Task.Delay(TimeSpan.FromSeconds(1), Token);
        Assert.Empty(Leadership(cluster.B).LeadJobs);
        Assert.True(EachJobHasOneLeader(cluster.A, cluster.B));
    }

    [Fact]
    public async Task SignIn_CookieIssuedByA_IsAcceptedByB()
    {
        var login = await StaffSession.SubmitLoginAsync(cluster.A.CreateBrowserClient(), "sachbearbeitung@demo.local", DemoStaff.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookies = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        Assert.Contains("Ausgabebox.Auth=", cookies, StringComparison.Ordinal);
        var onB = cluster.B.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/dokumente");
        withCookie.Headers.Add("Cookie", cookies);
        var signedIn = await onB.SendAsync(withCookie, Token);
        var anonymous = await onB.GetAsync("/dokumente", Token);

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task PersonalData_EncryptedByOneInstance_IsReadByTheOther()
    {
        var onA = await RegisterAsync(cluster.A, "Erika Mustermann");
        var onB = await RegisterAsync(cluster.B, "Max Mustermann");

        Assert.Equal("Erika Mustermann", await HolderNameAsync(cluster.B, onA));
        Assert.Equal("Max Mustermann", await HolderNameAsync(cluster.A, onB));
        var protectedByA = cluster.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances").Protect("Geheim");
        var protectedByB = cluster.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances").Protect("Geheim");
        Assert.Equal("Geheim", cluster.B.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances").Unprotect(protectedByA));
        Assert.Equal("Geheim", cluster.A.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances").Unprotect(protectedByB));
    }

    [Fact]
    public async Task KeyRing_BothInstancesStartedTogether_ShareOneEncryptedRingAndAgreeOnItsKeys()
    {
        // Started at the same moment on an empty folder, both may have created a first key: Data Protection keeps every
        // key, reads any payload whose key is in the folder (re-reading the folder when a key is unknown shortly after
        // start), and both instances see the same keys.
        var files = Directory.GetFiles(cluster.KeyRingPath, "key-*.xml");
        Assert.InRange(files.Length, 1, 2);
        foreach (var file in files)
        {
            Assert.Contains("encryptedSecret", await File.ReadAllTextAsync(file, Token), StringComparison.Ordinal);
        }
        var keysOfA = cluster.A.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).Order().ToList();
        var keysOfB = cluster.B.Services.GetRequiredService<IKeyManager>().GetAllKeys().Select(k => k.KeyId).Order().ToList();
        Assert.Equal(keysOfA, keysOfB);
        Assert.Equal(files.Length, keysOfA.Count);
    }

    [Fact]
    public async Task ConfigurationAudit_BothInstancesStartedTogether_AuditEachSettingAndKeyOnce()
    {
        await using var db = await NewDbContextAsync(cluster.A);
        await Eventually.WaitUntilAsync(async () => await db.AuditEntries.AnyAsync(
            a => a.Action == ConfigurationAudit.KeyCreatedAction && a.At >= cluster.StartedAt, Token), "the key ring was audited", Settle);
        // Both checks ran at start (the second one under the first one's lock, finding nothing left to write).
        await Task.Delay(TimeSpan.FromSeconds(1), Token);

        var settings = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == ConfigurationAudit.SettingAction && a.At >= cluster.StartedAt)
            .GroupBy(a => a.Subject).Select(g => new { Subject = g.Key, Lines = g.Count() }).ToListAsync(Token);
        var keys = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == ConfigurationAudit.KeyCreatedAction)
            .GroupBy(a => a.Subject).Select(g => new { Subject = g.Key, Lines = g.Count() }).ToListAsync(Token);

        Assert.Contains(settings, s => s.Subject == ConfigurationAudit.SettingSubject("DataProtection:KeyRingPath"));
        Assert.All(settings, s => Assert.Equal(1, s.Lines));
        Assert.Equal(Directory.GetFiles(cluster.KeyRingPath, "key-*.xml").Length, keys.Count);
        Assert.All(keys, k => Assert.Equal(1, k.Lines));
    }

    private static JobLeadership Leadership(TwoInstances.Instance instance) => instance.Services.GetRequiredService<JobLeadership>();

    private static bool EachJobHasOneLeader(TwoInstances.Instance a, TwoInstances.Instance b) =>
        LeaderJobs.All.All(job => Leadership(a).Leads(job) ^ Leadership(b).Leads(job));

    private async Task<int> CountSentAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var db = await NewDbContextAsync(cluster.A);
        return await db.OutgoingSms.CountAsync(m => ids.Contains(m.Id) && m.Status == SmsStatus.Sent, Token);
    }

    private async Task<int> CountDeliveredAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var db = await NewDbContextAsync(cluster.A);
        return await db.WebhookDeliveries.CountAsync(w => ids.Contains(w.Id) && w.Status == OutboxStatus.Delivered, Token);
    }

    private async Task<int> RetentionRunsSinceStartAsync()
    {
        await using var db = await NewDbContextAsync(cluster.A);
        return await db.RetentionRuns.CountAsync(r => r.StartedAt >= cluster.StartedAt, Token);
    }

    private async Task<long> HeldLeaderLocksAsync()
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = @class
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, connection);
        command.Parameters.AddWithValue("class", (long)PostgresLeaderElection.LockClass);
        return (long)(await command.ExecuteScalarAsync(Token))!;
    }

    private async Task TerminateLeaderConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE @prefix
            """, connection);
        command.Parameters.AddWithValue("prefix", PostgresLeaderElection.ApplicationNamePrefix + "%");
        // The held locks' connections, plus any the other instance has open for a moment while it tries.
        Assert.True((long)(await command.ExecuteScalarAsync(Token))! >= LeaderJobs.All.Count);
    }

    private static async Task<Guid> RegisterAsync(TwoInstances.Instance instance, string holder)
    {
        var result = await instance.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Reisepass", DocumentNumber = $"CF{Random.Shared.Next(1_000_000, 9_999_999)}", HolderName = holder, DateOfBirth = "12.08.1983",
            MobileNumber = "0170 1234567", ApplicationReference = $"HA-{Guid.NewGuid():N}"[..20], BoxCode = "DLZ-1",
        }, "staff:test", Token);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return result.DocumentId!.Value;
    }

    private static async Task<string?> HolderNameAsync(TwoInstances.Instance instance, Guid id)
    {
        await using var db = await NewDbContextAsync(instance);
        return await db.Documents.AsNoTracking().Where(d => d.Id == id).Select(d => d.HolderName).SingleAsync(Token);
    }

    private static Task<BackOfficeDbContext> NewDbContextAsync(TwoInstances.Instance instance) =>
        instance.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync(Token);
}
