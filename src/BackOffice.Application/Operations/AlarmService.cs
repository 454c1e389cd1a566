using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Application.Jobs;
using BackOffice.Application.Occupancy;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Messaging;
using BackOffice.Domain.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Operations;

/// <summary>An alarm as the list shows it.</summary>
public sealed record AlarmLine(
    Guid Id, AlarmKind Kind, string? BoxCode, string Subject, DateTimeOffset RaisedAt, bool CauseActive,
    DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, DateTimeOffset? ResolvedAt, string? ResolvedBy);

/// <summary>How many alarms of these kinds are open (the app bar's badge).</summary>
public interface IAlarmCounts
{
    Task<int> CountOpenAsync(IReadOnlyCollection<AlarmKind> kinds, CancellationToken cancellationToken = default);
}

/// <summary>
/// Raises and resolves the alarms: every <see cref="AlarmOptions.EvaluationInterval"/> it reads the causes where they are
/// already known (the box monitor's snapshot for heartbeats, doors, faults and the bin; pickup requests; the SMS
/// outbox), applies <see cref="AlarmRules"/>, raises an alarm for each new cause (once: a unique key per active cause),
/// ends the alarms whose cause is gone (resolving them if nobody did), audits each step and queues the e-mail.
/// </summary>
/// <remarks>
/// Singleton; each evaluation and staff action uses its own database context. The evaluation runs on one instance, the
/// leader of <see cref="LeaderJobs.AlarmEvaluation"/> (two instances' views of doors and boxes differ, and would raise
/// and end the same alarm in turn); staff actions work on every instance. Should two evaluate for a moment after a
/// takeover, the unique index on the active key lets one of them raise; the other's save fails and its next round finds it.
/// </remarks>
public sealed partial class AlarmService(
    IApplicationDbContextFactory contextFactory,
    IBoxMonitor monitor,
    AuditTrail audit,
    AlarmChanges changes,
    AlarmMailSignal mailSignal,
    JobLeadership leadership,
    TimeProvider timeProvider,
    IOptions<AlarmOptions> settings,
    IOptions<AlarmMailOptions> mailSettings,
    IOptions<BridgeTimingOptions> bridgeSettings,
    ILogger<AlarmService> logger) : BackgroundService, IAlarmCounts
{
    // When this instance first saw a door open, for a box that does not say since when.
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _openSince = new();

    /// <summary>One evaluation: raises what is new, ends what is gone. Returns (raised, ended).</summary>
    public async Task<(int Raised, int Ended)> EvaluateAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var (facts, codes) = await ReadFactsAsync(now, cancellationToken);
        var conditions = AlarmRules.Evaluate(facts, now, settings.Value, bridgeSettings.Value.HeartbeatTimeout)
            .GroupBy(c => c.Key).Select(g => g.First()).ToDictionary(c => c.Key);

        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var active = await db.Alarms.Where(a => a.CauseActive).ToListAsync(cancellationToken);
        var ended = 0;
        foreach (var alarm in active.Where(a => !conditions.ContainsKey(a.Key)))
        {
            var wasOpen = alarm.IsOpen;
            alarm.EndCause(now);
            ended++;
            if (wasOpen)
            {
                audit.Record(db, AuditTrail.System, "alarm.resolved", Subject(alarm.BoxId, codes), "ok",
                    $"{alarm.Kind} {alarm.Subject}, alarm {alarm.Id}: cause ended");
            }
        }
        var raised = new List<Alarm>();
        var activeKeys = active.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var condition in conditions.Values.Where(c => !activeKeys.Contains(c.Key)))
        {
            var alarm = Alarm.Raise(Guid.NewGuid(), condition.Kind, condition.BoxId, condition.Key, condition.Subject, now);
            db.Alarms.Add(alarm);
            raised.Add(alarm);
            audit.Record(db, AuditTrail.System, "alarm.raised", Subject(alarm.BoxId, codes), "raised",
                $"{alarm.Kind} {alarm.Subject}, alarm {alarm.Id}");
            QueueMail(db, alarm, alarm.BoxId is { } boxId ? codes.GetValueOrDefault(boxId) : null, now);
        }
        if (raised.Count == 0 && ended == 0)
        {
            return (0, 0);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Another instance raised or ended the same alarm first; the next round sees its result.
            LogConflict(logger, ex);
            return (0, 0);
        }
        foreach (var alarm in raised)
        {
            LogRaised(logger, alarm.Kind, alarm.Subject, alarm.Id);
        }
        changes.Notify();
        mailSignal.Wake();
        return (raised.Count, ended);
    }

    /// <summary>Open alarms of these kinds (the badge).</summary>
    public async Task<int> CountOpenAsync(IReadOnlyCollection<AlarmKind> kinds, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Alarms.CountAsync(a => a.ResolvedAt == null && kinds.Contains(a.Kind), cancellationToken);
    }

    /// <summary>Alarms of these kinds: the open ones, then (with <paramref name="includeResolved"/>) the last resolved ones.</summary>
    public async Task<IReadOnlyList<AlarmLine>> ListAsync(IReadOnlyCollection<AlarmKind> kinds, bool includeResolved,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var query = db.Alarms.AsNoTracking().Where(a => kinds.Contains(a.Kind));
        if (!includeResolved)
        {
            query = query.Where(a => a.ResolvedAt == null);
        }
        return await query
            .OrderBy(a => a.ResolvedAt != null).ThenByDescending(a => a.RaisedAt)
            .Take(300)
            .Select(a => new AlarmLine(a.Id, a.Kind, db.Boxes.Where(b => b.Id == a.BoxId).Select(b => b.Code).FirstOrDefault(), a.Subject,
                a.RaisedAt, a.CauseActive, a.AcknowledgedAt, a.AcknowledgedBy, a.ResolvedAt, a.ResolvedBy))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Someone is on it. False when it was acknowledged or resolved meanwhile.</summary>
    public Task<bool> AcknowledgeAsync(Guid id, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, "alarm.acknowledged", alarm => alarm.IsOpen && alarm.AcknowledgedAt is null,
            (alarm, now) => alarm.Acknowledge(actor, now), cancellationToken);

    /// <summary>Closed by a person. False when it was resolved meanwhile.</summary>
    public Task<bool> ResolveAsync(Guid id, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, "alarm.resolved", alarm => alarm.IsOpen, (alarm, now) => alarm.Resolve(actor, now), cancellationToken);

    // One instance at a time (docs/decisions/0026); the others wait to take over.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunWhileLeadingAsync(LeaderJobs.AlarmEvaluation, EvaluateLoopAsync, stoppingToken);

    private async Task EvaluateLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.EvaluationInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await EvaluateAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRoundFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> ChangeAsync(Guid id, string actor, string action, Func<Alarm, bool> allowed, Action<Alarm, DateTimeOffset> change,
        CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var alarm = await db.Alarms.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alarm is null || !allowed(alarm))
        {
            return false;
        }
        change(alarm, timeProvider.GetUtcNow());
        var code = alarm.BoxId is { } boxId ? await db.Boxes.Where(b => b.Id == boxId).Select(b => b.Code).SingleOrDefaultAsync(cancellationToken) : null;
        audit.Record(db, actor, action, code is null ? $"alarm:{alarm.Id}" : AuditTrail.Box(code), "ok",
            $"{alarm.Kind} {alarm.Subject}, alarm {alarm.Id}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        changes.Notify();
        return true;
    }

    private async Task<(AlarmFacts Facts, Dictionary<Guid, string> Codes)> ReadFactsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var overview = await monitor.OverviewAsync(cancellationToken);
        var codes = overview.ToDictionary(b => b.BoxId, b => b.Code);
        var since = now - settings.Value.RefusalWindow;
        Dictionary<Guid, int> refusals;
        List<FailedSms> failedSms;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            refusals = await db.PickupRequests.AsNoTracking()
                .Where(r => !r.Granted && r.At > since)
                .GroupBy(r => r.BoxId)
                .Select(g => new { BoxId = g.Key, Count = g.Count() })
                .ToDictionaryAsync(g => g.BoxId, g => g.Count, cancellationToken);
            failedSms = (await db.OutgoingSms.AsNoTracking()
                    .Where(m => m.Status == SmsStatus.Failed)
                    .Select(m => new { m.Id, BoxId = db.Documents.Where(d => d.Id == m.DocumentId).Select(d => (Guid?)d.BoxId).FirstOrDefault() })
                    .ToListAsync(cancellationToken))
                .Select(m => new FailedSms(m.Id, m.BoxId))
                .ToList();
        }

        var doors = new List<OpenDoor>();
        var faults = new List<FaultyCompartment>();
        var stillOpen = new HashSet<Guid>();
        foreach (var box in overview)
        {
            var snapshot = await monitor.SnapshotAsync(box.BoxId, cancellationToken);
            foreach (var cell in snapshot?.Cells ?? [])
            {
                if (cell.Door == DoorState.Open)
                {
                    stillOpen.Add(cell.Id);
                    var openSince = _openSince.GetOrAdd(cell.Id, _ => cell.DoorSince is { } reported && reported < now ? reported : now);
                    doors.Add(new OpenDoor(box.BoxId, cell.Id, cell.Label, openSince));
                }
                if (cell.State == CellState.Fault)
                {
                    faults.Add(new FaultyCompartment(box.BoxId, cell.Id, cell.Label));
                }
            }
        }
        foreach (var closed in _openSince.Keys.Where(id => !stillOpen.Contains(id)))
        {
            _openSince.TryRemove(closed, out _);
        }
        var boxes = overview
            .Select(b => new BoxFacts(b.BoxId, b.Code, b.LastHeartbeatAt, b.BinFillPercent, refusals.GetValueOrDefault(b.BoxId)))
            .ToList();
        return (new AlarmFacts(boxes, doors, faults, failedSms), codes);
    }

    private void QueueMail(IApplicationDbContext db, Alarm alarm, string? boxCode, DateTimeOffset now)
    {
        var mail = mailSettings.Value;
        if (!mail.Enabled || mail.RecipientFor(boxCode) is not { } recipient)
        {
            return;
        }
        db.AlarmMails.Add(new AlarmMail
        {
            Id = Guid.NewGuid(),
            AlarmId = alarm.Id,
            CreatedAt = now,
            Recipient = recipient,
            Subject = AlarmMailTexts.Subject(alarm.Kind, boxCode, alarm.Subject),
            Body = AlarmMailTexts.Body(alarm.Kind, boxCode, alarm.Subject, OfficeClock.Format(now), settings.Value.DoorOpenMinutes),
            NextAttemptAt = now,
        });
    }

    private static string Subject(Guid? boxId, Dictionary<Guid, string> codes) =>
        boxId is { } id && codes.TryGetValue(id, out var code) ? AuditTrail.Box(code) : "alarms";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alarm raised: {Kind} {Subject} (alarm {AlarmId})")]
    private static partial void LogRaised(ILogger logger, AlarmKind kind, string subject, Guid alarmId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alarm evaluation collided with another instance; the next round settles it")]
    private static partial void LogConflict(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alarm evaluation failed; retrying at the next interval")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
