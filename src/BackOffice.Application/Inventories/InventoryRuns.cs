using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Application.Messaging;
using BackOffice.Application.Overdue;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Inventories;

/// <summary>An inventory as a page shows it: the run, its box, and the numbers of the documents each compartment should hold.</summary>
public sealed record InventorySnapshot(Inventory Inventory, string BoxCode, IReadOnlyDictionary<Guid, string> DocumentNumbers)
{
    public IEnumerable<string> ExpectedNumbers(InventoryItem item) =>
        item.ExpectedDocumentIds.Select(id => DocumentNumbers.GetValueOrDefault(id, "?"));
}

/// <summary>A run in the list: open ones first, then the latest finished.</summary>
public sealed record InventorySummary(
    Guid Id, string BoxCode, int? Module, InventoryStatus Status, DateTimeOffset StartedAt, string StartedBy, DateTimeOffset? EndedAt,
    int Compartments, int Checked, int Discrepancies);

/// <summary>A discrepancy a clerk has to settle.</summary>
public sealed record InventoryDiscrepancy(
    Guid InventoryId, Guid ItemId, string BoxCode, string CompartmentLabel, InventoryFinding Finding, string? FoundDocumentNumber,
    IReadOnlyList<string> ExpectedNumbers, DateTimeOffset CheckedAt, string CheckedBy);

/// <summary>
/// Inventur: a supervisor has the occupied compartments of a box (or a module) opened one at a time, as service openings
/// with the reason "Inventur" through <see cref="CompartmentOpenings"/>, and records for each what is inside. The next
/// door opens only after the box reported the last one closed. Every step is stored, so a run is paused and resumed
/// (by hand, after a restart, or when the box went offline and came back). Discrepancies become clerk tasks: the
/// documents are reported missing or taken back to the counter through the document's guarded transitions.
/// </summary>
/// <remarks>
/// Singleton; every call uses its own database context. The box's reports (command result, door) reach it as an
/// <see cref="IBridgeObserver"/>, so a step completes even when the page that asked for it is gone. <see cref="Changed"/>
/// runs on the thread that changed a run; handlers only schedule their own work.
/// </remarks>
public sealed class InventoryRuns(
    IApplicationDbContextFactory contextFactory,
    CompartmentOpenings openings,
    AuditTrail audit,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> bridgeSettings,
    SmsOutbox outbox) : IBridgeObserver
{
    /// <summary>How often a step is tried on a fresh read when the run changed under it (<see cref="OnFreshReadAsync"/>).</summary>
    private const int ConflictAttempts = 5;

    /// <summary>A run changed (step, pause, finding, settlement): pages showing it read it again.</summary>
    public event Action<Guid>? Changed;

    /// <summary>The modules of a box (for choosing one), in order.</summary>
    public async Task<IReadOnlyList<int>> ModulesAsync(Guid boxId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Compartments.Where(c => c.BoxId == boxId).Select(c => c.Module).Distinct().OrderBy(m => m).ToListAsync(cancellationToken);
    }

    /// <summary>Starts an inventory of the box's occupied compartments (of one module, if given), in walking order.</summary>
    public async Task<(Guid? InventoryId, Refusal? Refusal)> StartAsync(
        Guid boxId, int? module, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var box = await db.Boxes.AsNoTracking().FirstOrDefaultAsync(b => b.Id == boxId, cancellationToken);
        if (box is null)
        {
            return (null, new Refusal(RefusalCode.BoxGone));
        }
        if (OfflineRefusal(box) is { } offline)
        {
            return (null, offline);
        }
        if (await db.Inventories.AnyAsync(i => i.BoxId == boxId && (i.Status == InventoryStatus.Running || i.Status == InventoryStatus.Paused), cancellationToken))
        {
            return (null, new Refusal(RefusalCode.InventoryAlreadyOpen, box.Code));
        }
        var compartments = await db.Compartments.AsNoTracking()
            .Where(c => c.BoxId == boxId && c.State == CompartmentState.Occupied && (module == null || c.Module == module))
            .OrderBy(c => c.Module).ThenBy(c => c.Row)
            .Select(c => new { c.Id, c.Label })
            .ToListAsync(cancellationToken);
        if (compartments.Count == 0)
        {
            return (null, new Refusal(RefusalCode.InventoryNothingToCheck));
        }
        var ids = compartments.Select(c => c.Id).ToList();
        var expected = (await db.Documents.AsNoTracking()
                .Where(d => d.CompartmentId != null && ids.Contains(d.CompartmentId.Value) && d.State == DocumentState.ReadyForPickup)
                .Select(d => new { d.Id, CompartmentId = d.CompartmentId!.Value })
                .ToListAsync(cancellationToken))
            .ToLookup(d => d.CompartmentId, d => d.Id);
        var now = timeProvider.GetUtcNow();
        var inventory = Inventory.Start(Guid.NewGuid(), boxId, module,
            compartments.Select(c => new InventoryItem
            {
                Id = Guid.NewGuid(), CompartmentId = c.Id, CompartmentLabel = c.Label, ExpectedDocumentIds = expected[c.Id].ToList(),
            }).ToList(), now, actor);
        db.Inventories.Add(inventory);
        audit.Record(db, actor, "inventory.started", $"box:{box.Code}", "ok",
            $"inventory {inventory.Id}: {(module is { } m ? $"module {m}" : "whole box")}, {compartments.Count} occupied compartments");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The partial unique index: another supervisor started one a moment earlier.
            return (null, new Refusal(RefusalCode.InventoryAlreadyOpen, box.Code));
        }
        return (inventory.Id, null);
    }

    public async Task<InventorySnapshot?> GetAsync(Guid inventoryId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var inventory = await db.Inventories.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inventoryId, cancellationToken);
        if (inventory is null)
        {
            return null;
        }
        inventory.Items.Sort((a, b) => a.Order.CompareTo(b.Order));
        var ids = inventory.Items.SelectMany(i => i.ExpectedDocumentIds).Distinct().ToList();
        var numbers = await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.DocumentNumber, cancellationToken);
        var code = await db.Boxes.Where(b => b.Id == inventory.BoxId).Select(b => b.Code).FirstAsync(cancellationToken);
        return new InventorySnapshot(inventory, code, numbers);
    }

    /// <summary>Open runs, then the most recent others.</summary>
    public async Task<IReadOnlyList<InventorySummary>> ListAsync(int recent = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var runs = await db.Inventories.AsNoTracking()
            .OrderBy(i => i.Status == InventoryStatus.Running || i.Status == InventoryStatus.Paused ? 0 : 1)
            .ThenByDescending(i => i.StartedAt)
            .Take(recent)
            .Join(db.Boxes, i => i.BoxId, b => b.Id, (i, b) => new { Inventory = i, b.Code })
            .ToListAsync(cancellationToken);
        return runs.Select(r => new InventorySummary(r.Inventory.Id, r.Code, r.Inventory.Module, r.Inventory.Status, r.Inventory.StartedAt,
                r.Inventory.StartedBy, r.Inventory.EndedAt, r.Inventory.Items.Count, r.Inventory.Items.Count(i => i.Finding is not null),
                r.Inventory.Items.Count(i => i.IsDiscrepancy)))
            .ToList();
    }

    /// <summary>
    /// Opens the next compartment and waits for the box's answer. Refused while the last door is open or its finding
    /// missing, while paused, or when the box is offline (which pauses the run).
    /// </summary>
    public async Task<Refusal?> OpenNextAsync(Guid inventoryId, string actor, Action? sent = null, CancellationToken cancellationToken = default)
    {
        var (refused, itemId, compartmentId) = await OnFreshReadAsync(async db =>
        {
            var inventory = await db.Inventories.FirstOrDefaultAsync(i => i.Id == inventoryId, cancellationToken);
            if (inventory is null)
            {
                return (new Refusal(RefusalCode.InventoryNotFound), Guid.Empty, Guid.Empty);
            }
            if (inventory.Status != InventoryStatus.Running)
            {
                return (new Refusal(RefusalCode.InventoryNotRunning), Guid.Empty, Guid.Empty);
            }
            if (inventory.Current is { } current)
            {
                return (new Refusal(current.Finding is null ? RefusalCode.InventoryFindingMissing : RefusalCode.InventoryDoorStillOpen, current.CompartmentLabel),
                    Guid.Empty, Guid.Empty);
            }
            var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == inventory.BoxId, cancellationToken);
            if (OfflineRefusal(box) is { } offline)
            {
                inventory.Pause(PauseText(box));
                audit.Record(db, AuditTrail.System, "inventory.paused", $"box:{box.Code}", "offline", $"inventory {inventory.Id}");
                await SaveAsync(db, inventory.Id, cancellationToken);
                return (offline, Guid.Empty, Guid.Empty);
            }
            var item = inventory.BeginOpening(timeProvider.GetUtcNow());
            await SaveAsync(db, inventory.Id, cancellationToken);
            return ((Refusal?)null, item.Id, item.CompartmentId);
        }, (new Refusal(RefusalCode.InventoryChangedMeanwhile), Guid.Empty, Guid.Empty), cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var result = await openings.ServiceOpenAsync(compartmentId, Inventory.OpeningReason, actor, sent, cancellationToken);
        if (result.Command is { } command)
        {
            // The observer may have seen the answer first; whichever comes second finds the step taken. A conflict means
            // the observer is saving it right now (and reads again itself if it lost).
            try
            {
                await ApplyOutcomeAsync(command, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
            }
            return result.Opened ? null : new Refusal(RefusalCode.CompartmentCannotOpen);
        }
        await OnFreshReadAsync(async db =>
        {
            var inventory = await db.Inventories.FirstAsync(i => i.Id == inventoryId, cancellationToken);
            var item = inventory.Items.Single(i => i.Id == itemId);
            if (item.Status == InventoryItemStatus.Opening)
            {
                var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == inventory.BoxId, cancellationToken);
                inventory.NotOpened(item, boxFault: false, PauseText(box));
                audit.Record(db, AuditTrail.System, "inventory.paused", $"box:{box.Code}", "offline", $"inventory {inventory.Id}");
                await SaveAsync(db, inventory.Id, cancellationToken);
            }
            return true;
        }, false, cancellationToken);
        return result.Refusal;
    }

    /// <summary>What the supervisor found in the open compartment; a wrong document with the number scanned from it.</summary>
    public async Task<Refusal?> RecordAsync(
        Guid inventoryId, Guid itemId, InventoryFinding finding, string? foundNumber, string actor, CancellationToken cancellationToken = default)
    {
        var number = string.IsNullOrWhiteSpace(foundNumber) ? null : DocumentRules.NormalizeDocumentNumber(foundNumber);
        if (finding == InventoryFinding.WrongDocument && (number is null || number.Length > InventoryItem.NumberMaxLength))
        {
            return new Refusal(RefusalCode.InventoryNumberRequired);
        }
        return await OnFreshReadAsync(db => RecordAsync(db, inventoryId, itemId, finding, number, actor, cancellationToken),
            new Refusal(RefusalCode.InventoryChangedMeanwhile), cancellationToken);
    }

    private async Task<Refusal?> RecordAsync(
        IApplicationDbContext db, Guid inventoryId, Guid itemId, InventoryFinding finding, string? number, string actor, CancellationToken cancellationToken)
    {
        var inventory = await db.Inventories.FirstOrDefaultAsync(i => i.Id == inventoryId, cancellationToken);
        var item = inventory?.Items.FirstOrDefault(i => i.Id == itemId);
        if (inventory is null || item is null)
        {
            return new Refusal(RefusalCode.InventoryNotFound);
        }
        if (!inventory.IsOpen || item.Status != InventoryItemStatus.Open || item.Finding is not null)
        {
            return new Refusal(RefusalCode.InventoryChangedMeanwhile);
        }
        if (finding == InventoryFinding.WrongDocument
            && await db.Documents.AnyAsync(d => item.ExpectedDocumentIds.Contains(d.Id) && d.DocumentNumber == number, cancellationToken))
        {
            // The scanned document is one that belongs here: present, not wrong.
            return new Refusal(RefusalCode.InventoryNumberBelongsHere, number!);
        }
        inventory.Record(item, finding, finding == InventoryFinding.WrongDocument ? number : null, timeProvider.GetUtcNow(), actor);
        var code = await BoxCodeAsync(db, inventory.BoxId, cancellationToken);
        audit.Record(db, actor, "inventory.checked", $"compartment:{code}/{item.CompartmentLabel}", finding.ToString(),
            $"inventory {inventory.Id}{(number is null || finding != InventoryFinding.WrongDocument ? "" : $", found {DocumentRules.MaskDocumentNumber(number)}")}");
        RecordFinished(db, inventory, code);
        await SaveAsync(db, inventory.Id, cancellationToken);
        return null;
    }

    public Task<Refusal?> PauseAsync(Guid inventoryId, string actor, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(inventoryId, actor, "inventory.paused", i => i.Status == InventoryStatus.Running, i => i.Pause(reason), cancellationToken);

    public async Task<Refusal?> ResumeAsync(Guid inventoryId, string actor, CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            var boxId = await db.Inventories.Where(i => i.Id == inventoryId).Select(i => (Guid?)i.BoxId).FirstOrDefaultAsync(cancellationToken);
            var box = boxId is null ? null : await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == boxId, cancellationToken);
            if (box is not null && OfflineRefusal(box) is { } offline)
            {
                return offline;
            }
        }
        return await ChangeAsync(inventoryId, actor, "inventory.resumed", i => i.Status == InventoryStatus.Paused, i => i.Resume(), cancellationToken);
    }

    public Task<Refusal?> CancelAsync(Guid inventoryId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(inventoryId, actor, "inventory.cancelled", i => i.IsOpen && i.Current is null,
            i => i.Cancel(timeProvider.GetUtcNow(), "Vorzeitig beendet."), cancellationToken);

    /// <summary>Discrepancies nobody settled yet, oldest first: the clerks' task list.</summary>
    public async Task<IReadOnlyList<InventoryDiscrepancy>> OpenDiscrepanciesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var items = await db.InventoryItems.AsNoTracking()
            .Where(i => (i.Finding == InventoryFinding.Empty || i.Finding == InventoryFinding.WrongDocument) && i.Resolution == null)
            .Join(db.Inventories, i => i.InventoryId, r => r.Id, (i, r) => new { Item = i, r.BoxId })
            .Join(db.Boxes, x => x.BoxId, b => b.Id, (x, b) => new { x.Item, b.Code })
            .OrderBy(x => x.Item.CheckedAt)
            .ToListAsync(cancellationToken);
        var ids = items.SelectMany(x => x.Item.ExpectedDocumentIds).Distinct().ToList();
        var numbers = await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.DocumentNumber, cancellationToken);
        return items.Select(x => new InventoryDiscrepancy(x.Item.InventoryId, x.Item.Id, x.Code, x.Item.CompartmentLabel, x.Item.Finding!.Value,
                x.Item.FoundDocumentNumber, x.Item.ExpectedDocumentIds.Select(id => numbers.GetValueOrDefault(id, "?")).ToList(),
                x.Item.CheckedAt!.Value, x.Item.CheckedBy!))
            .ToList();
    }

    /// <summary>
    /// A clerk settles a discrepancy: the documents that should have been inside are reported missing, or were found and
    /// are back at the counter. A wrong document found inside was brought to the counter by the supervisor: if it was
    /// ready for pickup elsewhere, it is back at the counter too. A compartment left without documents is free again.
    /// </summary>
    public async Task<Refusal?> ResolveAsync(Guid itemId, InventoryResolution resolution, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var inventoryId = await db.InventoryItems.Where(i => i.Id == itemId).Select(i => (Guid?)i.InventoryId).FirstOrDefaultAsync(cancellationToken);
        var inventory = inventoryId is null ? null : await db.Inventories.FirstAsync(i => i.Id == inventoryId, cancellationToken);
        var item = inventory?.Items.Single(i => i.Id == itemId);
        if (inventory is null || item is null)
        {
            return new Refusal(RefusalCode.InventoryNotFound);
        }
        if (!item.IsDiscrepancy || item.Resolution is not null)
        {
            return new Refusal(RefusalCode.InventoryAlreadySettled, item.CompartmentLabel);
        }
        var now = timeProvider.GetUtcNow();
        var code = await BoxCodeAsync(db, inventory.BoxId, cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        inventory.Resolve(item, resolution, now, actor);
        var touched = new HashSet<Guid> { item.CompartmentId };
        // Back at the counter the citizen is told so, as after a retrieval; a missing document is not (nothing to collect).
        var backAtCounter = new List<Document>();
        foreach (var document in await db.Documents.Where(d => item.ExpectedDocumentIds.Contains(d.Id) && d.State == DocumentState.ReadyForPickup).ToListAsync(cancellationToken))
        {
            AuditTrail.AddTimeline(db, resolution == InventoryResolution.ReportedMissing
                ? document.ReportMissing(now, actor, $"Bei der Inventur nicht in Fach {item.CompartmentLabel} gefunden: als vermisst gemeldet; die PIN ist ungültig.", item.CompartmentLabel)
                : document.ReturnToCounter(now, actor, $"Nach der Inventur (Fach {item.CompartmentLabel}) zurück am Schalter; die PIN ist ungültig, SMS an den Bürger vorgemerkt.", item.CompartmentLabel));
            if (resolution != InventoryResolution.ReportedMissing)
            {
                backAtCounter.Add(document);
            }
        }
        if (item.FoundDocumentNumber is { } found
            && await db.Documents.FirstOrDefaultAsync(d => d.DocumentNumber == found && d.BoxId == inventory.BoxId && d.State == DocumentState.ReadyForPickup, cancellationToken) is { } misplaced)
        {
            var label = await db.Compartments.Where(c => c.Id == misplaced.CompartmentId).Select(c => c.Label).FirstOrDefaultAsync(cancellationToken) ?? item.CompartmentLabel;
            AuditTrail.AddTimeline(db, misplaced.ReturnToCounter(now, actor,
                $"Bei der Inventur in Fach {item.CompartmentLabel} statt in Fach {label} gefunden; zurück am Schalter, die PIN ist ungültig, SMS an den Bürger vorgemerkt.", label));
            touched.Add(misplaced.CompartmentId!.Value);
            backAtCounter.Add(misplaced);
        }
        if (backAtCounter.Count > 0)
        {
            await DocumentRetrieval.QueueBackAtCounterSmsAsync(db, outbox, backAtCounter,
                await db.Boxes.Where(b => b.Id == inventory.BoxId).Select(b => b.Name).FirstAsync(cancellationToken), cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        // A compartment whose documents all left is free again (the guarded transition refuses any other state).
        foreach (var compartmentId in touched)
        {
            var compartment = await db.Compartments.FirstAsync(c => c.Id == compartmentId, cancellationToken);
            if (compartment.State == CompartmentState.Occupied
                && !await db.Documents.AnyAsync(d => d.CompartmentId == compartmentId && (d.State == DocumentState.ReadyForPickup || d.State == DocumentState.PickupOpening), cancellationToken))
            {
                compartment.Vacate();
            }
        }
        audit.Record(db, actor, "inventory.resolved", $"compartment:{code}/{item.CompartmentLabel}", resolution.ToString(),
            $"inventory {inventory.Id}, {item.ExpectedDocumentIds.Count} documents{(item.FoundDocumentNumber is null ? "" : $", found {DocumentRules.MaskDocumentNumber(item.FoundDocumentNumber)}")}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (backAtCounter.Count > 0)
        {
            outbox.Wake();
        }
        Changed?.Invoke(inventory.Id);
        return null;
    }

    /// <summary>
    /// Pauses running inventories of boxes that went offline, and puts back an opening that never got an answer (the
    /// app restarted in between, the command was never stored): called every sweep interval.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        List<Guid> running;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            running = await db.Inventories.Where(i => i.Status == InventoryStatus.Running || i.Items.Any(x => x.Status == InventoryItemStatus.Opening))
                .Select(i => i.Id).ToListAsync(cancellationToken);
        }
        var stale = timeProvider.GetUtcNow() - 2 * bridgeSettings.Value.CommandLifetime;
        var changed = 0;
        foreach (var inventoryId in running)
        {
            changed += await OnFreshReadAsync(async db =>
            {
                var inventory = await db.Inventories.FirstAsync(i => i.Id == inventoryId, cancellationToken);
                var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == inventory.BoxId, cancellationToken);
                if (inventory.Current is { Status: InventoryItemStatus.Opening, OpeningSince: { } since } opening && since < stale)
                {
                    inventory.NotOpened(opening, boxFault: false, "Die Box hat auf die Öffnung nicht geantwortet.");
                    audit.Record(db, AuditTrail.System, "inventory.paused", $"box:{box.Code}", "no_answer", $"inventory {inventory.Id}, compartment {opening.CompartmentLabel}");
                }
                else if (inventory.Status == InventoryStatus.Running && OfflineRefusal(box) is not null)
                {
                    inventory.Pause(PauseText(box));
                    audit.Record(db, AuditTrail.System, "inventory.paused", $"box:{box.Code}", "offline", $"inventory {inventory.Id}");
                }
                else
                {
                    return 0;
                }
                await SaveAsync(db, inventory.Id, cancellationToken);
                return 1;
            }, 0, cancellationToken);
        }
        return changed;
    }

    public Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken) =>
        command.Purpose == CommandPurpose.Service && command.Reason == Inventory.OpeningReason
            ? ApplyOutcomeAsync(command, cancellationToken)
            : Task.CompletedTask;

    public async Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken)
    {
        if (!change.Activity.Inventory)
        {
            return;
        }
        var (compartmentId, state) = (change.CompartmentId, change.State);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var inventory = await db.Inventories
            .Where(i => (i.Status == InventoryStatus.Running || i.Status == InventoryStatus.Paused)
                && i.Items.Any(x => x.CompartmentId == compartmentId && (x.Status == InventoryItemStatus.Opening || x.Status == InventoryItemStatus.Open)))
            .FirstOrDefaultAsync(cancellationToken);
        var item = inventory?.Current;
        if (inventory is null || item is null || item.CompartmentId != compartmentId)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        if (state == DoorState.Open && item.Status == InventoryItemStatus.Opening)
        {
            inventory.Opened(item, now); // The box's word: the door is open, whatever the command's answer says later.
        }
        else if (state == DoorState.Closed && item.Status == InventoryItemStatus.Open)
        {
            inventory.DoorClosed(item, now);
            RecordFinished(db, inventory, await BoxCodeAsync(db, inventory.BoxId, cancellationToken));
        }
        else
        {
            return;
        }
        // A finding saved meanwhile makes this throw; BridgeObservers reads again and calls once more.
        await SaveAsync(db, inventory.Id, cancellationToken);
    }

    /// <summary>
    /// The box answered the inventory's unlock (or it expired): the step moves on once, whoever reports first. Throws on a
    /// conflict; as an observer, <see cref="BridgeObservers"/> calls again on a fresh read.
    /// </summary>
    private async Task ApplyOutcomeAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        if (!command.IsFinished)
        {
            return; // Waited long enough without an answer: the sweep or the late answer decides.
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var inventory = await db.Inventories
            .Where(i => i.BoxId == command.BoxId && (i.Status == InventoryStatus.Running || i.Status == InventoryStatus.Paused))
            .FirstOrDefaultAsync(cancellationToken);
        var item = inventory?.Current;
        if (inventory is null || item is not { Status: InventoryItemStatus.Opening } || item.CompartmentId != command.CompartmentId
            || item.OpeningSince > command.CreatedAt)
        {
            return;
        }
        var code = await BoxCodeAsync(db, inventory.BoxId, cancellationToken);
        switch (command.Status)
        {
            case CommandStatus.Opened:
                inventory.Opened(item, command.CompletedAt ?? timeProvider.GetUtcNow());
                // Door reports may have come before the answer: a door already closed again counts.
                if ((await DoorHistory.SinceAsync(db, item.CompartmentId, command.CreatedAt, cancellationToken)).ClosedAfterOpening)
                {
                    inventory.DoorClosed(item, timeProvider.GetUtcNow());
                }
                break;
            case CommandStatus.Failed:
                inventory.NotOpened(item, boxFault: true,
                    $"Die Box meldet einen Fehler beim Öffnen: {command.ResultDetail?.TrimEnd('.') ?? "ohne Angabe"}.");
                audit.Record(db, AuditTrail.Box(code), "inventory.not_opened", $"compartment:{code}/{item.CompartmentLabel}", "failed",
                    $"inventory {inventory.Id}, command {command.Id}");
                break;
            default:
                inventory.NotOpened(item, boxFault: false, "Die Box hat auf die Öffnung nicht rechtzeitig geantwortet.");
                audit.Record(db, AuditTrail.System, "inventory.paused", $"box:{code}", "no_answer", $"inventory {inventory.Id}, command {command.Id}");
                break;
        }
        RecordFinished(db, inventory, code);
        await SaveAsync(db, inventory.Id, cancellationToken);
    }

    private Task<Refusal?> ChangeAsync(
        Guid inventoryId, string actor, string action, Func<Inventory, bool> allowed, Action<Inventory> change, CancellationToken cancellationToken) =>
        OnFreshReadAsync(db => ChangeAsync(db, inventoryId, actor, action, allowed, change, cancellationToken),
            new Refusal(RefusalCode.InventoryChangedMeanwhile), cancellationToken);

    private async Task<Refusal?> ChangeAsync(IApplicationDbContext db,
        Guid inventoryId, string actor, string action, Func<Inventory, bool> allowed, Action<Inventory> change, CancellationToken cancellationToken)
    {
        var inventory = await db.Inventories.FirstOrDefaultAsync(i => i.Id == inventoryId, cancellationToken);
        if (inventory is null)
        {
            return new Refusal(RefusalCode.InventoryNotFound);
        }
        if (!allowed(inventory))
        {
            return new Refusal(inventory.Current is not null ? RefusalCode.InventoryDoorStillOpen : RefusalCode.InventoryChangedMeanwhile,
                inventory.Current?.CompartmentLabel ?? "");
        }
        change(inventory);
        audit.Record(db, actor, action, $"box:{await BoxCodeAsync(db, inventory.BoxId, cancellationToken)}", "ok", $"inventory {inventory.Id}");
        await SaveAsync(db, inventory.Id, cancellationToken);
        return null;
    }

    /// <summary>The run's last line, written by the step that finished it.</summary>
    private void RecordFinished(IApplicationDbContext db, Inventory inventory, string boxCode)
    {
        // Every caller found the run open: finished now means finished by this step.
        if (inventory.Status == InventoryStatus.Finished)
        {
            audit.Record(db, AuditTrail.System, "inventory.finished", $"box:{boxCode}", inventory.Items.Any(i => i.IsDiscrepancy) ? "discrepancies" : "ok",
                $"inventory {inventory.Id}: {inventory.Items.Count(i => i.Finding == InventoryFinding.Present)} present, "
                + $"{inventory.Items.Count(i => i.IsDiscrepancy)} discrepancies, {inventory.Items.Count(i => i.Status == InventoryItemStatus.NotOpened)} not opened");
        }
    }

    /// <summary>Saves a step; a run changed since it was read throws <see cref="DbUpdateConcurrencyException"/> (see <see cref="OnFreshReadAsync"/>).</summary>
    private async Task SaveAsync(IApplicationDbContext db, Guid inventoryId, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke(inventoryId);
    }

    /// <summary>
    /// Runs a step on a context of its own and, when the run changed between its read and its save, once more on a fresh
    /// read: the box's reports and a person's clicks land on the same run at the same moment (the door closes while the
    /// supervisor records what was inside), both are true, and neither may be lost. The step checks its preconditions
    /// again on each read. <paramref name="stillConflicting"/> is the answer after <see cref="ConflictAttempts"/> tries.
    /// </summary>
    private async Task<T> OnFreshReadAsync<T>(Func<IApplicationDbContext, Task<T>> step, T stillConflicting, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contextFactory.CreateAsync(cancellationToken);
            try
            {
                return await step(db);
            }
            catch (DbUpdateConcurrencyException) when (attempt < ConflictAttempts)
            {
            }
            catch (DbUpdateConcurrencyException)
            {
                return stillConflicting;
            }
        }
    }

    private Refusal? OfflineRefusal(Box box) =>
        box.IsOnline(timeProvider.GetUtcNow(), bridgeSettings.Value.HeartbeatTimeout) ? null
        : box.LastHeartbeatAt is { } last ? new Refusal(RefusalCode.BoxOffline, box.Code, last)
        : new Refusal(RefusalCode.BoxNeverOnline, box.Code);

    private static string PauseText(Box box) =>
        box.LastHeartbeatAt is { } last
            ? $"Die Ausgabebox {box.Code} ist offline (letztes Lebenszeichen {OfficeClock.Format(last)})."
            : $"Die Ausgabebox {box.Code} hat sich noch nie gemeldet.";

    private static Task<string> BoxCodeAsync(IApplicationDbContext db, Guid boxId, CancellationToken cancellationToken) =>
        db.Boxes.Where(b => b.Id == boxId).Select(b => b.Code).FirstAsync(cancellationToken);
}
