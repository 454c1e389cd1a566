using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackOffice.Infrastructure.Audit;

/// <summary>
/// Puts configuration changes and key rotations into the audit trail. At every start each setting that governs the
/// product's behaviour is compared with the value last audited, and a line is written for each new, changed or removed
/// one; secrets appear only as a short fingerprint, so a rotation is visible without the key. The Data Protection key
/// ring is checked at start and every hour: a new key (the framework rotates every 90 days) or a revoked one gets a line.
/// </summary>
public sealed partial class ConfigurationAudit(
    IConfiguration configuration,
    IDbContextFactory<BackOfficeDbContext> contextFactory,
    IKeyManager keyManager,
    IDataProtectionProvider dataProtection,
    AuditTrail audit,
    TimeProvider timeProvider,
    ILogger<ConfigurationAudit> logger) : BackgroundService
{
    public const string SettingAction = "config.set";
    public const string KeyCreatedAction = "dataprotection.key.created";
    public const string KeyRevokedAction = "dataprotection.key.revoked";

    /// <summary>The sections that decide how the product behaves; logging and hosting plumbing are left out.</summary>
    private static readonly string[] AuditedSections =
        ["ConnectionStrings", "Database", "Security", "RateLimits", "ReverseProxy", "Jobs", "Office", "Sms", "Pickup", "Privacy", "Bridge", "DataProtection", "Api"];

    private static readonly string[] SecretMarkers = ["key", "pepper", "password", "secret", "token"];

    private static readonly TimeSpan KeyCheckInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Neither check may keep the product from running: a failure is logged, and the key check tries again next hour.
        using var timer = new PeriodicTimer(KeyCheckInterval, timeProvider);
        try
        {
            await RunLoggedAsync(RecordSettingsAsync, stoppingToken);
            do
            {
                await RunLoggedAsync(RecordKeysAsync, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunLoggedAsync(Func<CancellationToken, Task<int>> check, CancellationToken stoppingToken)
    {
        try
        {
            await check(stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(exception);
        }
    }

    /// <summary>Writes a line per setting that is new, changed or gone since the last audited value.</summary>
    public async Task<int> RecordSettingsAsync(CancellationToken cancellationToken = default)
    {
        var current = EffectiveSettings(configuration);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await SerializedAsync(db, cancellationToken);
        var audited = (await db.AuditEntries.AsNoTracking()
                .Where(a => a.Action == SettingAction)
                .Select(a => new { a.Subject, a.Outcome, a.Details, a.Id })
                .ToListAsync(cancellationToken))
            .GroupBy(a => a.Subject)
            .Select(g => g.MaxBy(a => a.Id)!)
            .Where(a => a.Outcome != "removed")
            .ToDictionary(a => a.Subject, a => a.Details ?? "");

        var written = 0;
        foreach (var (name, value) in current)
        {
            var subject = SettingSubject(name);
            if (!audited.TryGetValue(subject, out var previous))
            {
                audit.Record(db, AuditTrail.System, SettingAction, subject, audited.Count == 0 ? "initial" : "added", value);
                written++;
            }
            else if (previous != value)
            {
                audit.Record(db, AuditTrail.System, SettingAction, subject, "changed", value);
                written++;
            }
        }
        foreach (var subject in audited.Keys.Except(current.Keys.Select(SettingSubject)))
        {
            audit.Record(db, AuditTrail.System, SettingAction, subject, "removed", "");
            written++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>Writes a line per Data Protection key that was created or revoked since the last check.</summary>
    public async Task<int> RecordKeysAsync(CancellationToken cancellationToken = default)
    {
        // The framework creates its first key on first use; using it here makes that happen now, audited at start.
        dataProtection.CreateProtector(nameof(ConfigurationAudit)).Protect([]);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await SerializedAsync(db, cancellationToken);
        // Read under the lock: a key another instance created meanwhile is seen (and audited) by one of the two only.
        var keys = keyManager.GetAllKeys();
        var seen = (await db.AuditEntries.AsNoTracking()
                .Where(a => a.Action == KeyCreatedAction || a.Action == KeyRevokedAction)
                .Select(a => new { a.Action, a.Subject })
                .ToListAsync(cancellationToken))
            .Select(a => (a.Action, a.Subject))
            .ToHashSet();

        var written = 0;
        foreach (var key in keys.OrderBy(k => k.CreationDate))
        {
            var subject = $"dataprotection-key:{key.KeyId}";
            if (!seen.Contains((KeyCreatedAction, subject)))
            {
                audit.Record(db, AuditTrail.System, KeyCreatedAction, subject, "ok", string.Create(CultureInfo.InvariantCulture,
                    $"created {key.CreationDate:u}, active from {key.ActivationDate:u} until {key.ExpirationDate:u}"));
                written++;
            }
            if (key.IsRevoked && !seen.Contains((KeyRevokedAction, subject)))
            {
                audit.Record(db, AuditTrail.System, KeyRevokedAction, subject, "revoked");
                written++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>
    /// Several instances start (and check the keys) at the same moment: each compares with what is audited and writes
    /// the difference one after the other, under a transaction-level advisory lock, so a change is audited once
    /// (docs/decisions/0026).
    /// </summary>
    private static async Task<IDbContextTransaction> SerializedAsync(BackOfficeDbContext db, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync(LockChecks, cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    // Beside the migration run's key (DatabaseInitializer); any constant the app uses for nothing else.
    private const string LockChecks = "SELECT pg_advisory_xact_lock(7362146010021)";

    public static string SettingSubject(string name) => $"setting:{name}";

    /// <summary>The audited settings by name, secrets as fingerprints, connection strings without their password.</summary>
    public static SortedDictionary<string, string> EffectiveSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in AuditedSections)
        {
            foreach (var (name, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (string.IsNullOrEmpty(value))
                {
                    continue; // not set; an emptied setting shows as removed
                }
                settings[name] = section == "ConnectionStrings" ? WithoutPassword(value)
                    : IsSecret(name) ? Fingerprint(value)
                    : value;
            }
        }
        return settings;
    }

    /// <summary>"Privacy:LookupKey", "Pickup:PinPepper", "Sms:Gateway:Password", and each entry of a list such as "Api:Keys:0".</summary>
    private static bool IsSecret(string name)
    {
        var parts = name.Split(':');
        var leaf = parts[^1];
        return EndsWithMarker(leaf)
            || (parts.Length > 1 && int.TryParse(leaf, CultureInfo.InvariantCulture, out _) && EndsWithMarker(parts[^2].TrimEnd('s')));
    }

    private static bool EndsWithMarker(string part) =>
        SecretMarkers.Any(marker => part.EndsWith(marker, StringComparison.OrdinalIgnoreCase));

    /// <summary>Enough to see that a secret was set or rotated, never enough to recover it (secrets are long and random).</summary>
    internal static string Fingerprint(string secret) => secret.Length == 0
        ? ""
        : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12];

    private static string WithoutPassword(string connectionString)
    {
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
            var hadPassword = builder.Remove("Password") | builder.Remove("Pwd");
            return hadPassword ? builder.ConnectionString + ";Password=(set)" : builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Auditing settings and keys failed")]
    private partial void LogFailed(Exception exception);
}
