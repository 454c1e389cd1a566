using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Documents;
using BackOffice.Application.Overdue;
using BackOffice.Application.Pickup;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Bridge;

public enum OpenOperationKind
{
    /// <summary>A loading whose door never opened and closed.</summary>
    Loading,

    /// <summary>A granted pickup whose door never closed again.</summary>
    Pickup,

    /// <summary>A retrieval whose door never closed again.</summary>
    Retrieval,

    /// <summary>A compartment the box opened without a known reason, or whose late report contradicted the server.</summary>
    Check,
}

/// <summary>
/// What the box last reported about a compartment, for the person who settles it: a door event (<see cref="Door"/>) or
/// an unlock command's outcome (<see cref="Purpose"/>, <see cref="Status"/>; <see cref="ByBox"/> false when the outcome
/// is the server's assumption, e.g. expired without an answer).
/// </summary>
public sealed record BoxReport(
    DateTimeOffset At, DoorState? Door, CommandPurpose? Purpose = null, CommandStatus? Status = null, bool ByBox = true, string? Detail = null);

/// <summary>One operation that did not finish on its own, with what the box last said, for a person to settle.</summary>
public sealed record OpenOperation(
    OpenOperationKind Kind,
    Guid Id,
    Guid CompartmentId,
    string BoxCode,
    string CompartmentLabel,
    DateTimeOffset Since,
    int Documents,
    string? Note,
    IReadOnlyList<BoxReport> LastReports);

/// <summary>
/// A loading under way (the door not yet closed on the documents), stuck or not, with the number of its first document:
/// the loading page finds the loading by it, so the clerk who lost the page gets back to it.
/// </summary>
public sealed record RunningLoading(
    Guid LoadId, string BoxCode, string CompartmentLabel, DateTimeOffset StartedAt, string StartedBy, string DocumentNumber, int Documents);

/// <summary>A message the server refused from a box for good (the bridge dropped it).</summary>
public sealed record RefusedBoxMessage(DateTimeOffset At, string BoxCode, string Details);

/// <summary>
/// The home of stuck operations: loadings, pickups and retrievals that did not finish within
/// <see cref="StuckAfter"/>, compartments waiting for a check, and what the server refused from a box. Each can be
/// settled by a person (audited), who says what is physically the case.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class OpenOperations(
    IApplicationDbContextFactory contextFactory,
    DocumentLoading loading,
    PickupService pickups,
    DocumentRetrieval retrieval,
    AuditTrail audit,
    TimeProvider timeProvider)
{
    /// <summary>A loading, pickup or retrieval normally ends within a minute; after this it needs a person.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(3);

    private const int ReportsShown = 5;

    public async Task<IReadOnlyList<OpenOperation>> ListAsync(CancellationToken cancellationToken = default)
    {
        var before = timeProvider.GetUtcNow() - StuckAfter;
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var codes = await db.Boxes.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Code, cancellationToken);
        var result = new List<OpenOperation>();

        var loads = await db.CompartmentLoads.AsNoTracking()
            .Where(l => (l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen) && l.StartedAt < before)
            .Join(db.Compartments, l => l.CompartmentId, c => c.Id, (l, c) => new { Load = l, c.Label })
            .ToListAsync(cancellationToken);
        foreach (var item in loads)
        {
            result.Add(new OpenOperation(OpenOperationKind.Loading, item.Load.Id, item.Load.CompartmentId, codes[item.Load.BoxId], item.Label,
                item.Load.StartedAt, item.Load.DocumentIds.Count, null,
                await LastReportsAsync(db, item.Load.CompartmentId, cancellationToken)));
        }

        var moving = await db.Documents.AsNoTracking()
            .Where(d => d.State == DocumentState.PickupOpening || d.State == DocumentState.Retrieving)
            .Select(d => new
            {
                d.CompartmentId,
                d.BoxId,
                d.State,
                Since = db.DocumentEvents.Where(e => e.DocumentId == d.Id).Max(e => (DateTimeOffset?)e.At),
            })
            .ToListAsync(cancellationToken);
        foreach (var group in moving.Where(m => m.CompartmentId is not null).GroupBy(m => (m.CompartmentId!.Value, m.State)))
        {
            var since = group.Max(m => m.Since) ?? DateTimeOffset.MinValue;
            if (since >= before)
            {
                continue;
            }
            var label = await db.Compartments.Where(c => c.Id == group.Key.Value).Select(c => c.Label).FirstAsync(cancellationToken);
            var kind = group.Key.State == DocumentState.PickupOpening ? OpenOperationKind.Pickup : OpenOperationKind.Retrieval;
            result.Add(new OpenOperation(kind, group.Key.Value, group.Key.Value, codes[group.First().BoxId], label, since, group.Count(), null,
                await LastReportsAsync(db, group.Key.Value, cancellationToken)));
        }

        var checks = await db.Compartments.AsNoTracking().Where(c => c.CheckRequiredSince != null).ToListAsync(cancellationToken);
        foreach (var compartment in checks)
        {
            var inside = await db.Documents.CountAsync(d => d.CompartmentId == compartment.Id
                && (d.State == DocumentState.ReadyForPickup || d.State == DocumentState.Loading), cancellationToken);
            result.Add(new OpenOperation(OpenOperationKind.Check, compartment.Id, compartment.Id, codes[compartment.BoxId], compartment.Label,
                compartment.CheckRequiredSince!.Value, inside, compartment.CheckReason, await LastReportsAsync(db, compartment.Id, cancellationToken)));
        }
        return result.OrderBy(o => o.Since).ToList();
    }

    /// <summary>Every loading whose door has not yet closed on the documents, oldest first.</summary>
    public async Task<IReadOnlyList<RunningLoading>> RunningLoadingsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var loads = await db.CompartmentLoads.AsNoTracking()
            .Where(l => l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen)
            .Join(db.Compartments, l => l.CompartmentId, c => c.Id, (l, c) => new { Load = l, c.Label })
            .Join(db.Boxes, x => x.Load.BoxId, b => b.Id, (x, b) => new { x.Load, x.Label, b.Code })
            .OrderBy(x => x.Load.StartedAt)
            .ToListAsync(cancellationToken);
        var firstIds = loads.Where(x => x.Load.DocumentIds.Count > 0).Select(x => x.Load.DocumentIds[0]).ToList();
        var numbers = await db.Documents.AsNoTracking().Where(d => firstIds.Contains(d.Id))
            .Select(d => new { d.Id, d.DocumentNumber })
            .ToDictionaryAsync(d => d.Id, d => d.DocumentNumber, cancellationToken);
        return loads
            .Where(x => x.Load.DocumentIds.Count > 0 && numbers.ContainsKey(x.Load.DocumentIds[0]))
            .Select(x => new RunningLoading(x.Load.Id, x.Code, x.Label, x.Load.StartedAt, x.Load.StartedBy, numbers[x.Load.DocumentIds[0]],
                x.Load.DocumentIds.Count))
            .ToList();
    }

    /// <summary>What the server refused from boxes in the last <paramref name="days"/> days, newest first.</summary>
    public async Task<IReadOnlyList<RefusedBoxMessage>> RefusalsAsync(int days = 7, CancellationToken cancellationToken = default)
    {
        var since = timeProvider.GetUtcNow().AddDays(-days);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == BridgeRefusals.AuditAction && a.At >= since)
            .OrderByDescending(a => a.At)
            .Take(100)
            .Select(a => new { a.At, a.Subject, a.Details })
            .ToListAsync(cancellationToken);
        return entries.Select(e => new RefusedBoxMessage(e.At, e.Subject.Replace("box:", "", StringComparison.Ordinal), e.Details ?? "")).ToList();
    }

    /// <summary>
    /// Settles an open operation as the person found it. <paramref name="completed"/>: the documents are in the
    /// compartment (loading), the citizen took them (pickup), they are at the counter (retrieval), or the compartment's
    /// content matches what the back office shows (check). Otherwise the operation is undone. False when it was
    /// settled meanwhile (by the box or another person).
    /// </summary>
    public async Task<bool> ResolveAsync(
        OpenOperationKind kind, Guid id, bool completed, string actor, string? note = null, CancellationToken cancellationToken = default) => kind switch
    {
        OpenOperationKind.Loading => await loading.ResolveAsync(id, completed, actor, cancellationToken),
        OpenOperationKind.Pickup => await pickups.ResolveAsync(id, completed, actor, cancellationToken),
        OpenOperationKind.Retrieval => await retrieval.ResolveAsync(id, completed, actor, cancellationToken),
        OpenOperationKind.Check => completed && await ConfirmCheckedAsync(id, actor, note, cancellationToken),
        _ => false,
    };

    private async Task<bool> ConfirmCheckedAsync(Guid compartmentId, string actor, string? note, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var compartment = await db.Compartments.FirstOrDefaultAsync(c => c.Id == compartmentId, cancellationToken);
        if (compartment is not { NeedsCheck: true })
        {
            return false;
        }
        var reason = compartment.CheckReason;
        compartment.ClearCheck();
        var code = await db.Boxes.Where(b => b.Id == compartment.BoxId).Select(b => b.Code).FirstAsync(cancellationToken);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        audit.Record(db, actor, "compartment.checked", $"compartment:{code}/{compartment.Label}", "ok",
            $"content matches ({compartment.State}); was: {reason}{(note is null ? "" : $"; note: {note}")}");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static async Task<IReadOnlyList<BoxReport>> LastReportsAsync(IApplicationDbContext db, Guid compartmentId, CancellationToken cancellationToken)
    {
        var doors = await db.DoorEvents.AsNoTracking()
            .Where(e => e.CompartmentId == compartmentId)
            .OrderByDescending(e => e.At).Take(ReportsShown)
            .Select(e => new BoxReport(e.At, e.State, null, null, true, null))
            .ToListAsync(cancellationToken);
        var commands = await db.BridgeCommands.AsNoTracking()
            .Where(c => c.CompartmentId == compartmentId)
            .OrderByDescending(c => c.CreatedAt).Take(ReportsShown)
            .Select(c => new { c.CreatedAt, c.CompletedAt, c.Purpose, c.Status, c.ReportedByBox, c.ResultDetail })
            .ToListAsync(cancellationToken);
        return doors
            .Concat(commands.Select(c => new BoxReport(c.CompletedAt ?? c.CreatedAt, null, c.Purpose, c.Status, c.ReportedByBox, c.ResultDetail)))
            .OrderByDescending(r => r.At).Take(ReportsShown).ToList();
    }
}
