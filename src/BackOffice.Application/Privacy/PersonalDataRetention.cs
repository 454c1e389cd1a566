using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Jobs;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Privacy;

/// <summary>
/// Erases the holder's personal data (name, birth date, mobile number, document numbers, the SMS recipients) once a
/// document was handed over or returned to the counter more than <see cref="PrivacyOptions.RetentionDays"/> ago. What
/// stays is the anonymised record for statistics (type, box, compartment, times, state) and the audit trail, which holds
/// no plain personal data. Runs on the leader of <see cref="LeaderJobs.PersonalDataRetention"/> (one run per interval
/// across instances); safe to run twice all the same: an erased document is never touched again.
/// </summary>
public sealed partial class PersonalDataRetention(
    IApplicationDbContextFactory contextFactory,
    AuditTrail audit,
    JobLeadership leadership,
    TimeProvider timeProvider,
    IOptions<PrivacyOptions> settings,
    ILogger<PersonalDataRetention> logger) : BackgroundService
{
    private const int BatchSize = 500;

    public async Task<RetentionRun> RunAsync(string startedBy, CancellationToken cancellationToken = default)
    {
        var startedAt = timeProvider.GetUtcNow();
        var cutoff = startedAt.AddDays(-settings.Value.RetentionDays);
        var documents = 0;
        var messages = 0;
        while (true)
        {
            await using var db = await contextFactory.CreateAsync(cancellationToken);
            var due = await db.Documents
                .Where(d => d.PersonalDataErasedAt == null
                    && ((d.State == DocumentState.PickedUp && d.PickedUpAt < cutoff)
                        || (d.State == DocumentState.BackAtCounter && d.ReturnedToCounterAt < cutoff)))
                .OrderBy(d => d.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                break;
            }
            var ids = due.Select(d => d.Id).ToList();
            var sms = await db.OutgoingSms.Where(m => m.DocumentId != null && ids.Contains(m.DocumentId.Value) && m.Recipient != "")
                .ToListAsync(cancellationToken);
            foreach (var document in due)
            {
                AuditTrail.AddTimeline(db, document.ErasePersonalData(startedAt, startedBy,
                    $"Personenbezogene Daten nach {settings.Value.RetentionDays} Tagen gelöscht (Name, Geburtsdatum, Mobilnummer, Dokumentnummern)."));
            }
            foreach (var message in sms)
            {
                message.Recipient = "";
                message.ProtectedBody = null;
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance erased them at the same moment; the next round finds only what is left.
                continue;
            }
            documents += due.Count;
            messages += sms.Count;
        }

        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            // Failed attempts per number (the number is the key) are kept no longer than the documents.
            await db.PhonePickupFailures.Where(f => f.LastFailureAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            var run = new RetentionRun
            {
                Id = Guid.NewGuid(),
                StartedAt = startedAt,
                FinishedAt = timeProvider.GetUtcNow(),
                StartedBy = startedBy,
                Cutoff = cutoff,
                DocumentsErased = documents,
                MessagesErased = messages,
            };
            db.RetentionRuns.Add(run);
            audit.Record(db, startedBy, "privacy.retention", "documents", "ok",
                $"cutoff {cutoff:O}: {documents} document(s), {messages} SMS recipient(s) erased");
            await db.SaveChangesAsync(cancellationToken);
            LogRun(logger, documents, messages, cutoff);
            return run;
        }
    }

    public async Task<IReadOnlyList<RetentionRun>> RecentRunsAsync(int count = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.RetentionRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).Take(count).ToListAsync(cancellationToken);
    }

    // One instance at a time (docs/decisions/0026); the others wait to take over.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunWhileLeadingAsync(LeaderJobs.PersonalDataRetention, RetentionLoopAsync, stoppingToken);

    private async Task RetentionLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.RetentionInterval, timeProvider);
        do
        {
            try
            {
                await RunAsync(AuditTrail.System, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: erased the personal data of {Documents} document(s) and {Messages} SMS recipient(s) handed over or returned before {Cutoff}")]
    private static partial void LogRun(ILogger logger, int documents, int messages, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention job failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
