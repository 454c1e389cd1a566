using BackOffice.Application.Audit;
using BackOffice.Application.Boxes;
using BackOffice.Domain.Audit;
using BackOffice.Infrastructure.Audit;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Persistence;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.IntegrationTests.Audit;

/// <summary>Configuration changes, key rotations and staff administration reach the audit trail, secrets never do.</summary>
public class ConfigurationAuditTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    [Fact]
    public async Task AtStart_EverySettingIsAudited_SecretsOnlyAsFingerprints()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();
        var lines = await WaitForLinesAsync(ConfigurationAudit.SettingAction, "setting:Pickup:PinPepper");

        // As the start wrote them (another test of this class may have audited a changed configuration since).
        var settings = lines.Where(l => l.Outcome == "initial").ToDictionary(l => l.Subject, l => l.Details ?? "");
        Assert.StartsWith("sha256:", settings["setting:Pickup:PinPepper"], StringComparison.Ordinal);
        Assert.StartsWith("sha256:", settings["setting:Privacy:LookupKey"], StringComparison.Ordinal);
        Assert.StartsWith("sha256:", settings["setting:Api:Keys:0"], StringComparison.Ordinal);
        Assert.Equal(configuration["Office:Name"], settings["setting:Office:Name"]);
        Assert.Equal(configuration["DataProtection:KeyRingPath"], settings["setting:DataProtection:KeyRingPath"]);
        Assert.EndsWith("Password=(set)", settings["setting:ConnectionStrings:BackOffice"], StringComparison.Ordinal);

        var secrets = new[] { "Pickup:PinPepper", "Privacy:LookupKey", "Api:Keys:0" }.Select(k => configuration[k]!)
            .Append("Password=" + new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Password);
        await using var db = await app.NewDbContextAsync();
        var everything = await db.AuditEntries.AsNoTracking().Select(a => a.Subject + " " + a.Outcome + " " + a.Details).ToListAsync();
        foreach (var secret in secrets)
        {
            var leaked = everything.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal));
            Assert.True(leaked is null, $"An audit line holds a secret: {leaked}");
        }
    }

    [Fact]
    public async Task ASecondStart_WithTheSameSettings_WritesNothing_AChangedOneWritesWhatChanged()
    {
        await WaitForLinesAsync(ConfigurationAudit.SettingAction, "setting:Pickup:PinPepper");
        var unchanged = CreateAudit(app.Services.GetRequiredService<IConfiguration>());
        Assert.Equal(0, await unchanged.RecordSettingsAsync());

        var changed = new ConfigurationBuilder()
            .AddConfiguration(app.Services.GetRequiredService<IConfiguration>())
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Pickup:MaxFailedAttempts"] = "3",
                ["Privacy:LookupKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            })
            .Build();
        Assert.Equal(2, await CreateAudit(changed).RecordSettingsAsync());

        await using var db = await app.NewDbContextAsync();
        var latest = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == ConfigurationAudit.SettingAction && a.Outcome != "initial")
            .ToDictionaryAsync(a => a.Subject, a => a.Outcome + " " + a.Details);
        Assert.Equal("added 3", latest["setting:Pickup:MaxFailedAttempts"]);
        Assert.StartsWith("changed sha256:", latest["setting:Privacy:LookupKey"], StringComparison.Ordinal);
        Assert.Equal(0, await CreateAudit(changed).RecordSettingsAsync());
    }

    [Fact]
    public async Task DataProtectionKeys_AreAuditedOnce_AndARevocationToo()
    {
        await WaitForLinesAsync(ConfigurationAudit.KeyCreatedAction, null);
        var audit = CreateAudit(app.Services.GetRequiredService<IConfiguration>());
        Assert.Equal(0, await audit.RecordKeysAsync());

        var keys = app.Services.GetRequiredService<IKeyManager>();
        var rotated = keys.CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        Assert.Equal(1, await audit.RecordKeysAsync());
        keys.RevokeKey(rotated.KeyId, "test: key compromised");
        // The revocation; and the framework makes a replacement key on its next use, in the background, so whether that
        // one shows in this pass or the next is timing. Every key and every change is audited exactly once regardless.
        Assert.InRange(await audit.RecordKeysAsync(), 1, 2);
        await audit.RecordKeysAsync();
        var known = keys.GetAllKeys();
        await audit.RecordKeysAsync();

        await using var db = await app.NewDbContextAsync();
        var subject = $"dataprotection-key:{rotated.KeyId}";
        Assert.Equal([ConfigurationAudit.KeyCreatedAction, ConfigurationAudit.KeyRevokedAction],
            await db.AuditEntries.Where(a => a.Subject == subject).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        var keyLines = await db.AuditEntries
            .Where(a => a.Action == ConfigurationAudit.KeyCreatedAction || a.Action == ConfigurationAudit.KeyRevokedAction)
            .Select(a => new { a.Action, a.Subject })
            .ToListAsync();
        Assert.Equal(keyLines.Count, keyLines.Distinct().Count());
        Assert.All(known, key => Assert.Contains(keyLines, l => l.Action == ConfigurationAudit.KeyCreatedAction && l.Subject == $"dataprotection-key:{key.KeyId}"));
    }

    [Fact]
    public async Task CreatingAStaffAccount_AndLiftingItsLockout_AreAudited()
    {
        var email = $"{Guid.NewGuid():N}@demo.local";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<StaffAccountService>();
            Assert.True((await accounts.CreateAsync(email, "Audit Test", DemoStaff.Password, BackOffice.Domain.Staff.StaffRoles.Clerk, "staff:admin@demo.local")).Succeeded);
        }
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        var account = Assert.Single(await directory.ListAsync(), a => a.Email == email);
        Assert.True(await directory.UnlockAsync(account.Id, "staff:admin@demo.local"));

        await using var db = await app.NewDbContextAsync();
        var lines = await db.AuditEntries.AsNoTracking().Where(a => a.Subject == $"user:{email}").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["staff.created", "staff.lockout_lifted"], lines.Select(l => l.Action));
        Assert.All(lines, l => Assert.Equal("staff:admin@demo.local", l.Actor));
        Assert.Equal("role Clerk", lines[0].Details);
    }

    [Fact]
    public async Task EditingABox_AuditsWhatChanged()
    {
        var boxes = app.Services.GetRequiredService<BoxAdministration>();
        var summary = (await boxes.ListAsync()).First();
        var box = await boxes.GetAsync(summary.Id) ?? throw new InvalidOperationException("no box");
        var input = new BoxInput
        {
            Code = box.Code,
            Name = box.Name,
            Address = box.Address,
            TimeZoneId = box.TimeZoneId,
            OpenAroundTheClock = box.OpenAroundTheClock,
            PickupDeadlineDays = box.PickupDeadlineDays + 1,
            OpeningHours = box.OpeningHours.Select(p => new OpeningPeriodInput { Day = p.Day, Opens = p.Opens, Closes = p.Closes }).ToList(),
        };

        var result = await boxes.UpdateAsync(summary.Id, BoxAdministration.SettingsStamp(box), input, "staff:admin@demo.local");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));

        await using var db = await app.NewDbContextAsync();
        var line = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "box.updated").OrderBy(a => a.Id).LastAsync();
        Assert.Equal($"pickup deadline days: '{input.PickupDeadlineDays - 1}' -> '{input.PickupDeadlineDays}'", line.Details);
    }

    private ConfigurationAudit CreateAudit(IConfiguration configuration) => new(
        configuration,
        app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>(),
        app.Services.GetRequiredService<IKeyManager>(),
        app.Services.GetRequiredService<IDataProtectionProvider>(),
        app.Services.GetRequiredService<AuditTrail>(),
        TimeProvider.System,
        NullLogger<ConfigurationAudit>.Instance);

    /// <summary>The lines the app's own audit wrote at start (a background service, so it may still be running).</summary>
    private async Task<List<AuditEntry>> WaitForLinesAsync(string action, string? subject)
    {
        List<AuditEntry> lines = [];
        await Eventually.WaitUntilAsync(async () =>
        {
            await using var db = await app.NewDbContextAsync();
            lines = await db.AuditEntries.AsNoTracking().Where(a => a.Action == action).ToListAsync();
            return lines.Any(l => subject is null || l.Subject == subject);
        }, $"the start-up audit wrote {action}");
        return lines;
    }
}
