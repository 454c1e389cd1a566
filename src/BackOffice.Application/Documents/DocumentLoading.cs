using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Bridge;
using BackOffice.Application.Common;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Documents;

/// <summary>A free compartment that fits the documents to load; <paramref name="NeedsWitness"/> when its box wants four eyes.</summary>
public sealed record LoadProposal(Guid CompartmentId, string Label, CompartmentSize Size, bool Accessible, bool NeedsWitness = false);

/// <summary>A started loading, or why it could not start.</summary>
public sealed record LoadStart(Guid? LoadId, Refusal? Refusal)
{
    public bool Started => LoadId is not null;
}

/// <summary>What the loading page shows.</summary>
public sealed record LoadView(Guid Id, string BoxCode, string CompartmentLabel, LoadStatus Status, string? AbortReason);

/// <summary>
/// Puts a household's documents into one compartment: reserves a free compartment that fits, unlocks it, follows the
/// door, and when the door closes makes the documents ready, with one PIN for the compartment and one SMS naming them
/// all in the outbox — all in one transaction. Documents of different households never share a loading. Anything
/// else (door does not open, box offline, command expired, clerk cancels) leaves the compartment free and the documents
/// "arrived", as before.
/// </summary>
/// <remarks>Singleton; every call uses its own database context. Two clerks can never load into one compartment:
/// the compartment's concurrency token and a partial unique index on active loadings both refuse the second.</remarks>
public sealed class DocumentLoading(
    IApplicationDbContextFactory contextFactory,
    BridgeCommandService commands,
    AuditTrail audit,
    TimeProvider timeProvider,
    LoadUpdates updates,
    SmsOutbox outbox,
    PickupPins pins,
    IDatabaseErrors databaseErrors,
    IStaffVerification staff) : IBridgeObserver
{
    /// <summary>How many documents fit one compartment of each size (passports and ID cards in their sleeves).</summary>
    public static CompartmentSize SizeFor(int documents) => documents switch
    {
        <= 2 => CompartmentSize.S,
        <= 6 => CompartmentSize.M,
        _ => CompartmentSize.L,
    };

    /// <summary>Documents waiting to be loaded with this number (a scanner types the number and presses Enter).</summary>
    public async Task<Document?> FindArrivedAsync(string documentNumber, CancellationToken cancellationToken = default)
    {
        var number = DocumentRules.NormalizeDocumentNumber(documentNumber);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.DocumentNumber == number, cancellationToken);
    }

    public async Task<LoadProposal?> ProposeAsync(IReadOnlyCollection<Guid> documentIds, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var documents = await db.Documents.AsNoTracking().Where(d => documentIds.Contains(d.Id)).ToListAsync(cancellationToken);
        if (documents.Count == 0 || documents.Select(d => d.BoxId).Distinct().Count() != 1 || !Households.AreOne(documents))
        {
            return null;
        }
        var boxId = documents[0].BoxId;
        var minimum = SizeFor(documents.Count);
        var accessible = documents.Any(d => d.NeedsAccessibleCompartment);
        var candidates = db.Compartments.AsNoTracking()
            .Where(c => c.BoxId == boxId && c.State == CompartmentState.Free && c.CheckRequiredSince == null && c.Size >= minimum);
        if (accessible)
        {
            candidates = candidates.Where(c => c.Accessible);
        }
        var fourEyes = await db.Boxes.Where(b => b.Id == boxId).Select(b => b.FourEyesLoading).FirstAsync(cancellationToken);
        // Smallest fitting size first; keep accessible compartments for those who need them.
        return await candidates
            .OrderBy(c => c.Size).ThenBy(c => accessible ? false : c.Accessible).ThenBy(c => c.Module).ThenBy(c => c.Row)
            .Select(c => new LoadProposal(c.Id, c.Label, c.Size, c.Accessible, fourEyes))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Reserves the compartment and unlocks it. A box with four-eyes loading needs <paramref name="witness"/>: a second
    /// staff member (never the clerk) whose credentials are checked before anything is reserved; elsewhere it is ignored.
    /// </summary>
    public async Task<LoadStart> StartAsync(
        IReadOnlyCollection<Guid> documentIds, Guid compartmentId, string actor, CancellationToken cancellationToken = default,
        WitnessProof? witness = null)
    {
        var commandId = Guid.NewGuid();
        CompartmentLoad load;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            var documents = await db.Documents.Where(d => documentIds.Contains(d.Id)).ToListAsync(cancellationToken);
            var compartment = await db.Compartments.FirstOrDefaultAsync(c => c.Id == compartmentId, cancellationToken);
            var refusal = documents.Count == 0 || documents.Count != documentIds.Count ? new Refusal(RefusalCode.DocumentsNotFound)
                : documents.Any(d => d.State != DocumentState.Arrived) ? new Refusal(RefusalCode.DocumentsNotAtCounter)
                : documents.Select(d => d.BoxId).Distinct().Count() != 1 ? new Refusal(RefusalCode.DocumentsForSeveralBoxes)
                // Whatever the caller (page, test, a future way in): one compartment, one household, one PIN.
                : !Households.AreOne(documents) ? Households.MixedRefusal(documents.First(d => Households.KeyOf(d) != Households.KeyOf(documents[0])))
                : compartment is null || compartment.BoxId != documents[0].BoxId ? new Refusal(RefusalCode.CompartmentOfOtherBox)
                : compartment.State != CompartmentState.Free ? new Refusal(RefusalCode.CompartmentNotFree, compartment.Label)
                : compartment.NeedsCheck ? new Refusal(RefusalCode.CompartmentNeedsCheck, compartment.Label)
                : compartment.Size < SizeFor(documents.Count) ? new Refusal(RefusalCode.CompartmentTooSmall, compartment.Label, documents.Count)
                : null;
            if (refusal is not null)
            {
                return new LoadStart(null, refusal);
            }
            var boxCode = await BoxCodeAsync(db, compartment!.BoxId, cancellationToken);
            string? confirmedBy = null;
            if (await db.Boxes.Where(b => b.Id == compartment.BoxId).Select(b => b.FourEyesLoading).FirstAsync(cancellationToken))
            {
                (confirmedBy, refusal) = await CheckWitnessAsync(db, witness, actor, $"compartment:{boxCode}/{compartment.Label}", cancellationToken);
                if (refusal is not null)
                {
                    return new LoadStart(null, refusal);
                }
            }

            var now = timeProvider.GetUtcNow();
            load = new CompartmentLoad
            {
                Id = Guid.NewGuid(),
                BoxId = compartment.BoxId,
                CompartmentId = compartment.Id,
                CommandId = commandId,
                // In scan order (as the clerk gave them), which the SMS follows; the query returns them in no order.
                DocumentIds = documentIds.Distinct().ToList(),
                StartedAt = now,
                StartedBy = actor,
            };
            if (confirmedBy is not null)
            {
                load.Confirm(confirmedBy);
            }
            db.CompartmentLoads.Add(load);
            compartment.ReserveForLoading();
            foreach (var document in documents)
            {
                var line = document.StartLoading(load, compartment, now, actor,
                    $"Einlage in Fach {compartment.Label} begonnen{(confirmedBy is null ? "." : ", von einer zweiten Person bestätigt (Vier-Augen-Prinzip).")}");
                line.ConfirmedBy = confirmedBy;
                AuditTrail.AddTimeline(db, line);
            }
            audit.Record(db, actor, "load.started", $"compartment:{boxCode}/{compartment.Label}", "ok",
                $"load {load.Id}, {documents.Count} documents{(confirmedBy is null ? "" : $", confirmed by {confirmedBy}")}");
            if (confirmedBy is not null)
            {
                // The second person's own line: the Protokoll finds it under their name.
                audit.Record(db, confirmedBy, "load.confirmed", $"compartment:{boxCode}/{compartment.Label}", "ok",
                    $"load {load.Id}, started by {actor}");
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is DbUpdateConcurrencyException
                || (ex is DbUpdateException update && databaseErrors.IsUniqueViolation(update)))
            {
                return new LoadStart(null, new Refusal(RefusalCode.CompartmentTakenMeanwhile, compartment.Label));
            }
        }

        UnlockIssue issue;
        try
        {
            issue = await commands.IssueUnlockAsync(compartmentId, CommandPurpose.Load, actor, cancellationToken, commandId: commandId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database went away between the reservation and the command. Give the compartment back if it can be
            // reached now; otherwise the sweep does it (AbortWithoutCommandAsync). Should the unlock have left after
            // all, the box's "Opened" resumes the loading.
            try
            {
                await AbortAsync(load.Id, "Die Öffnung konnte nicht angefordert werden.", AuditTrail.System, CancellationToken.None);
            }
            catch (Exception)
            {
                // Still unreachable: the sweep will abort it.
            }
            throw;
        }
        if (!issue.Accepted)
        {
            var refusal = issue.Refusal == UnlockRefusal.BoxOffline
                ? issue.LastHeartbeatAt is { } last ? new Refusal(RefusalCode.LoadBoxOffline, last) : new Refusal(RefusalCode.LoadBoxNeverOnline)
                : new Refusal(RefusalCode.CompartmentCannotOpen);
            // The abort reason is stored with the loading (data, German like the timeline); the clerk reads the refusal.
            var reason = refusal.Code switch
            {
                RefusalCode.LoadBoxOffline => $"Die Ausgabebox ist offline (letztes Lebenszeichen {OfficeClock.Format(issue.LastHeartbeatAt!.Value)}). Die Dokumente bleiben am Schalter.",
                RefusalCode.LoadBoxNeverOnline => "Die Ausgabebox hat sich noch nie gemeldet. Die Dokumente bleiben am Schalter.",
                _ => "Das Fach kann nicht geöffnet werden.",
            };
            await AbortAsync(load.Id, reason, AuditTrail.System, cancellationToken);
            return new LoadStart(null, refusal);
        }
        return new LoadStart(load.Id, null);
    }

    /// <summary>
    /// The four-eyes check: a second person, not the clerk, with their own password or a fresh directory sign-in.
    /// Checked after every other reason to refuse, so a form with other mistakes costs the witness no failed attempt (nor
    /// their sign-in); a refused witness is audited.
    /// </summary>
    private async Task<(string? ConfirmedBy, Refusal? Refusal)> CheckWitnessAsync(
        IApplicationDbContext db, WitnessProof? witness, string actor, string subject, CancellationToken cancellationToken)
    {
        if (witness is null || (witness is WitnessPassword typed && (string.IsNullOrWhiteSpace(typed.UserName) || string.IsNullOrEmpty(typed.Password))))
        {
            return (null, new Refusal(RefusalCode.LoadWitnessRequired));
        }
        if (witness is WitnessPassword named && CompartmentLoad.IsSamePerson(AuditTrail.Staff(named.UserName.Trim()), actor))
        {
            return (null, new Refusal(RefusalCode.WitnessMustDiffer));
        }
        var check = await staff.ConfirmAsync(witness, actor, WitnessPurpose.Loading, cancellationToken);
        if (!check.Verified)
        {
            audit.Record(db, actor, "load.witness_refused", subject, "refused", check.Refusal?.Code.ToString());
            await db.SaveChangesAsync(cancellationToken);
            return (null, check.Refusal);
        }
        var confirmedBy = AuditTrail.Staff(check.UserName!);
        return CompartmentLoad.IsSamePerson(confirmedBy, actor) ? (null, new Refusal(RefusalCode.WitnessMustDiffer)) : (confirmedBy, null);
    }

    /// <summary>
    /// Aborts loadings still waiting for a door whose unlock command was never stored (the database failed in between),
    /// once a command would have expired: nothing can open that door, and the compartment must not stay reserved.
    /// </summary>
    public async Task<int> AbortWithoutCommandAsync(TimeSpan commandLifetime, CancellationToken cancellationToken = default)
    {
        var before = timeProvider.GetUtcNow() - commandLifetime;
        List<Guid> orphans;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            orphans = await db.CompartmentLoads
                .Where(l => l.Status == LoadStatus.Opening && l.StartedAt < before && !db.BridgeCommands.Any(c => c.Id == l.CommandId))
                .Select(l => l.Id)
                .ToListAsync(cancellationToken);
        }
        var aborted = 0;
        foreach (var id in orphans)
        {
            aborted += await AbortAsync(id, "Die Öffnung konnte nicht angefordert werden.", AuditTrail.System, cancellationToken) ? 1 : 0;
        }
        return aborted;
    }

    /// <summary>The clerk stops a loading that has not completed; the compartment is free again, the documents back at the counter.</summary>
    public Task<bool> CancelAsync(Guid loadId, string actor, CancellationToken cancellationToken = default) =>
        AbortAsync(loadId, "Vom Schalter abgebrochen.", actor, cancellationToken);

    /// <summary>
    /// The loading that is putting the document with this number into its compartment right now (door opening or
    /// open), or null: the counter's page finds it again after a reload.
    /// </summary>
    public async Task<LoadView?> FindActiveLoadAsync(string documentNumber, CancellationToken cancellationToken = default)
    {
        var number = DocumentRules.NormalizeDocumentNumber(documentNumber);
        Guid? loadId;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            loadId = await db.Documents.AsNoTracking()
                .Where(d => d.DocumentNumber == number && d.State == DocumentState.Loading)
                .Join(db.CompartmentLoads, d => d.LoadId, l => (Guid?)l.Id, (d, l) => l)
                .Where(l => l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen)
                .Select(l => (Guid?)l.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }
        return loadId is { } id ? await GetAsync(id, cancellationToken) : null;
    }

    public async Task<LoadView?> GetAsync(Guid loadId, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var load = await db.CompartmentLoads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == loadId, cancellationToken);
        if (load is null)
        {
            return null;
        }
        var label = await db.Compartments.Where(c => c.Id == load.CompartmentId).Select(c => c.Label).FirstAsync(cancellationToken);
        var code = await BoxCodeAsync(db, load.BoxId, cancellationToken);
        return new LoadView(load.Id, code, label, load.Status, load.AbortReason);
    }

    public async Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        if (command.Purpose != CommandPurpose.Load)
        {
            return;
        }
        if (command.Status == CommandStatus.Opened)
        {
            await ResumeAsync(command, cancellationToken);
            return;
        }
        Guid? loadId;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            // Only a loading still waiting for its door: once the door was seen open, the unlock evidently worked,
            // whatever a late or missing command result says.
            loadId = await db.CompartmentLoads
                .Where(l => l.CommandId == command.Id && l.Status == LoadStatus.Opening)
                .Select(l => (Guid?)l.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }
        if (loadId is { } id)
        {
            var reason = command.Status == CommandStatus.Failed
                ? $"Die Box meldet einen Fehler beim Öffnen: {command.ResultDetail?.TrimEnd('.') ?? "ohne Angabe"}."
                : "Die Box hat nicht rechtzeitig geantwortet; das Fach wurde nicht geöffnet.";
            await AbortAsync(id, reason, AuditTrail.System, cancellationToken);
        }
    }

    /// <summary>
    /// The box says the door opened, after the server had given the loading up (no answer in time, or the answer was
    /// lost). The box's word wins: the loading resumes where the door is now (and completes if it already closed).
    /// If it cannot resume — the clerk cancelled, the documents went elsewhere, the compartment is taken — nobody
    /// knows what is inside, so the compartment waits for a person's check.
    /// </summary>
    private async Task ResumeAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var load = await db.CompartmentLoads.FirstOrDefaultAsync(l => l.CommandId == command.Id, cancellationToken);
        if (load is not { Status: LoadStatus.Aborted })
        {
            return; // Still running (the door events drive it) or completed.
        }
        var compartment = await db.Compartments.FirstAsync(c => c.Id == load.CompartmentId, cancellationToken);
        var documents = await db.Documents.Where(d => load.DocumentIds.Contains(d.Id)).ToListAsync(cancellationToken);
        var code = await BoxCodeAsync(db, load.BoxId, cancellationToken);
        var subject = $"compartment:{code}/{compartment.Label}";
        var now = timeProvider.GetUtcNow();
        var canResume = load.AbortedBy == AuditTrail.System
            && documents.Count == load.DocumentIds.Count && documents.Count > 0
            && documents.All(d => d.State == DocumentState.Arrived && d.CompartmentId is null)
            && compartment.State == CompartmentState.Free
            && !await db.CompartmentLoads.AnyAsync(l => l.CompartmentId == compartment.Id && (l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen), cancellationToken);
        if (!canResume)
        {
            compartment.RequireCheck(now, $"Die Box meldet Fach {compartment.Label} nach der abgebrochenen Einlage doch geöffnet. Bitte Inhalt prüfen.");
            audit.Record(db, AuditTrail.System, "compartment.check_required", subject, "late_open", $"load {load.Id}, command {command.Id}");
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var history = await DoorHistory.SinceAsync(db, compartment.Id, command.CreatedAt, cancellationToken);
        load.Status = history.Opened ? LoadStatus.DoorOpen : LoadStatus.Opening;
        load.EndedAt = null;
        load.AbortReason = null;
        load.AbortedBy = null;
        compartment.ResumeLoading();
        if (DoorHistory.ExplainsCheck(compartment, command.CreatedAt))
        {
            compartment.ClearCheck();
        }
        foreach (var document in documents)
        {
            var line = document.StartLoading(load, compartment, timeProvider.GetUtcNow(), AuditTrail.Box(code),
                $"Die Box meldet Fach {compartment.Label} doch geöffnet; die Einlage geht weiter.");
            line.ConfirmedBy = load.ConfirmedBy;
            AuditTrail.AddTimeline(db, line);
        }
        audit.Record(db, AuditTrail.Box(code), "load.resumed", subject, "ok", $"load {load.Id}: the box reported the door opened after the abort");
        await db.SaveChangesAsync(cancellationToken);
        if (history.ClosedAfterOpening)
        {
            await CompleteAsync(db, load, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        updates.Publish(load.Id);
        if (history.ClosedAfterOpening)
        {
            outbox.Wake();
        }
    }

    public async Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken)
    {
        if (!change.Activity.Loading)
        {
            return;
        }
        var (compartmentId, state) = (change.CompartmentId, change.State);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var load = await db.CompartmentLoads
            .FirstOrDefaultAsync(l => l.CompartmentId == compartmentId && (l.Status == LoadStatus.Opening || l.Status == LoadStatus.DoorOpen), cancellationToken);
        if (load is null)
        {
            return;
        }
        if (state == DoorState.Open && load.Status == LoadStatus.Opening)
        {
            load.Status = LoadStatus.DoorOpen;
            await db.SaveChangesAsync(cancellationToken);
            updates.Publish(load.Id);
        }
        else if (state == DoorState.Closed && (load.Status == LoadStatus.DoorOpen
            || (await DoorHistory.SinceAsync(db, compartmentId, load.StartedAt, cancellationToken)).ClosedAfterOpening))
        {
            await CompleteAsync(db, load, cancellationToken);
            updates.Publish(load.Id);
            outbox.Wake();
        }
    }

    /// <summary>
    /// A person settles a loading the box never finished (stuck page): the documents are in the compartment (ready,
    /// PIN and SMS as after a closed door) or they are back at the counter (aborted, compartment free).
    /// </summary>
    public async Task<bool> ResolveAsync(Guid loadId, bool documentsInside, string actor, CancellationToken cancellationToken = default)
    {
        if (!documentsInside)
        {
            return await AbortAsync(loadId, "Von Hand geklärt: die Dokumente sind am Schalter.", actor, cancellationToken);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var load = await db.CompartmentLoads.FirstOrDefaultAsync(l => l.Id == loadId, cancellationToken);
        if (load is not { IsActive: true })
        {
            return false;
        }
        audit.Record(db, actor, "load.resolved", $"load:{load.Id}", "inside", "Confirmed by hand: the documents are in the compartment.");
        await CompleteAsync(db, load, cancellationToken);
        updates.Publish(load.Id);
        outbox.Wake();
        return true;
    }

    /// <summary>
    /// Door closed with the documents inside: ready, one PIN for the compartment (its hash on each document), one SMS per
    /// mobile number naming every document — one transaction.
    /// </summary>
    private async Task CompleteAsync(IApplicationDbContext db, CompartmentLoad load, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var compartment = await db.Compartments.FirstAsync(c => c.Id == load.CompartmentId, cancellationToken);
        var box = await db.Boxes.AsNoTracking().Include(b => b.OpeningHours).FirstAsync(b => b.Id == load.BoxId, cancellationToken);
        var documents = Households.InLoadOrder(await db.Documents.Where(d => d.LoadId == load.Id).ToListAsync(cancellationToken), load.DocumentIds);
        var localToday = PickupDeadlines.LocalDate(now, box.TimeZoneId);
        var deadline = localToday.AddDays(box.PickupDeadlineDays);
        var deadlineInstant = PickupDeadlines.EndOf(deadline, box.TimeZoneId);

        load.Status = LoadStatus.Completed;
        load.EndedAt = now;
        compartment.Occupy();
        var pin = PickupPins.Generate();
        var pinHash = pins.Hash(pin);
        foreach (var document in documents)
        {
            var line = document.CompleteLoading(deadline, pinHash, now, load.StartedBy,
                $"Im Fach {compartment.Label} bereit zur Abholung bis {deadline:dd.MM.yyyy}; SMS mit PIN vorgemerkt" +
                (documents.Count > 1 ? $" (eine PIN für alle {documents.Count} Dokumente des Fachs)." : "."), compartment.Label);
            line.ConfirmedBy = load.ConfirmedBy;
            AuditTrail.AddTimeline(db, line);
        }
        // A household shares a number; a household joined by a clerk may have several: each gets the same text (an
        // authorised person's asks for their own birth date).
        var named = documents.Select(Households.ForSms).ToList();
        foreach (var recipient in Households.PinRecipients(documents))
        {
            outbox.Enqueue(db, recipient.MobileNumber, SmsPurpose.ReadyForPickup, recipient.FiledUnder.Id,
                SmsTexts.ReadyForPickup(named, box, deadlineInstant, pin, recipient.Authorized));
        }
        audit.Record(db, AuditTrail.Box(box.Code), "load.completed", $"compartment:{box.Code}/{compartment.Label}", "ok",
            $"load {load.Id}, {documents.Count} documents ready");
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<bool> AbortAsync(Guid loadId, string reason, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var load = await db.CompartmentLoads.FirstOrDefaultAsync(l => l.Id == loadId, cancellationToken);
        if (load is null || !load.IsActive)
        {
            return false;
        }
        load.Status = LoadStatus.Aborted;
        load.EndedAt = timeProvider.GetUtcNow();
        load.AbortedBy = actor;
        load.AbortReason = reason.Length <= CompartmentLoad.ReasonMaxLength ? reason : reason[..CompartmentLoad.ReasonMaxLength];
        var compartment = await db.Compartments.FirstAsync(c => c.Id == load.CompartmentId, cancellationToken);
        // Only a reservation is given back; a compartment in any other state keeps it.
        if (compartment.State == CompartmentState.ReservedForLoading)
        {
            compartment.ReleaseReservation();
        }
        foreach (var document in await db.Documents.Where(d => d.LoadId == loadId).ToListAsync(cancellationToken))
        {
            AuditTrail.AddTimeline(db, document.AbortLoading(timeProvider.GetUtcNow(), actor,
                $"Einlage in Fach {compartment.Label} abgebrochen: {reason}", compartment.Label));
        }
        audit.Record(db, actor, "load.aborted", $"compartment:{await BoxCodeAsync(db, load.BoxId, cancellationToken)}/{compartment.Label}", "aborted",
            $"load {load.Id}: {reason}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The door closed at the same moment: the loading completed instead.
            return false;
        }
        updates.Publish(loadId);
        return true;
    }

    private static Task<string> BoxCodeAsync(IApplicationDbContext db, Guid boxId, CancellationToken cancellationToken) =>
        db.Boxes.Where(b => b.Id == boxId).Select(b => b.Code).FirstAsync(cancellationToken);
}
