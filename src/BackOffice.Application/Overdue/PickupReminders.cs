using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Documents;
using BackOffice.Application.Jobs;
using BackOffice.Application.Messaging;
using BackOffice.Application.Pickup;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Overdue;

/// <summary>
/// Sends one reminder SMS per compartment (a household's documents, named in it) and mobile number a few days before its pickup deadline (<see cref="PickupOptions.ReminderDaysBeforeDeadline"/>).
/// Runs on the leader of <see cref="LeaderJobs.PickupReminders"/>; safe to run twice all the same: a document gets its reminder once (its concurrency token refuses a
/// second writer, and <see cref="Document.ReminderSentAt"/> marks it).
/// </summary>
public sealed partial class PickupReminders(
    IApplicationDbContextFactory contextFactory,
    SmsOutbox outbox,
    JobLeadership leadership,
    TimeProvider timeProvider,
    IOptions<PickupOptions> settings,
    ILogger<PickupReminders> logger) : BackgroundService
{
    /// <summary>Queues the reminders due now; returns how many.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var loadedBefore = now.AddDays(-1);
        List<(Guid Id, string Name, string TimeZoneId)> boxes;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            boxes = (await db.Boxes.AsNoTracking().Select(b => new { b.Id, b.Name, b.TimeZoneId }).ToListAsync(cancellationToken))
                .Select(b => (b.Id, b.Name, b.TimeZoneId)).ToList();
        }
        var sent = 0;
        foreach (var box in boxes)
        {
            // One unit of work per box: a conflict in one box does not hold back the others.
            await using var db = await contextFactory.CreateAsync(cancellationToken);
            var today = PickupDeadlines.LocalDate(now, box.TimeZoneId);
            var remindFrom = today.AddDays(settings.Value.ReminderDaysBeforeDeadline);
            // Not within a day of loading: with a short deadline the first SMS is reminder enough.
            var due = await db.Documents
                .Where(d => d.BoxId == box.Id && d.State == DocumentState.ReadyForPickup && d.ReminderSentAt == null
                    && d.PickupDeadline >= today && d.PickupDeadline <= remindFrom && d.ReadyAt < loadedBefore)
                .OrderBy(d => d.PickupDeadline).ThenBy(d => d.CompartmentId)
                .Take(500)
                .ToListAsync(cancellationToken);
            // A household waits in one compartment: one reminder per compartment and number, naming every document.
            foreach (var compartment in due.GroupBy(d => (d.CompartmentId, d.PickupDeadline)))
            {
                var documents = Households.InLoadOrder(compartment, await DocumentActions.LoadOrderAsync(db, compartment.First().LoadId, cancellationToken));
                var named = documents.Select(Households.ForSms).ToList();
                var deadline = PickupDeadlines.EndOf(compartment.Key.PickupDeadline!.Value, box.TimeZoneId);
                foreach (var recipient in Households.PinRecipients(documents))
                {
                    // The PIN went to an authorised person (Vollmacht): they are reminded as such, not as the holder.
                    outbox.Enqueue(db, recipient.MobileNumber, SmsPurpose.PickupReminder, recipient.FiledUnder.Id,
                        SmsTexts.PickupReminder(named, box.Name, deadline, recipient.Authorized));
                }
            }
            foreach (var document in due)
            {
                AuditTrail.AddTimeline(db, document.RecordReminder(now, AuditTrail.System,
                    $"Erinnerungs-SMS vorgemerkt: Abholung bis {document.PickupDeadline:dd.MM.yyyy}."));
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                sent += due.Count;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance (or a pickup) changed one of them at the same moment: try again next round.
            }
        }
        if (sent > 0)
        {
            outbox.Wake();
            LogSent(logger, sent);
        }
        return sent;
    }

    // One instance at a time (docs/decisions/0026); the others wait to take over.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunWhileLeadingAsync(LeaderJobs.PickupReminders, RemindLoopAsync, stoppingToken);

    private async Task RemindLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.ReminderInterval, timeProvider);
        do
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Count} pickup reminder SMS")]
    private static partial void LogSent(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pickup reminders failed; next try at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
