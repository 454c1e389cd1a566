using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Application.Telemetry;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Pickup;

/// <summary>
/// Decides pickups at the box: three factors (mobile number on file, PIN, old document number or date of birth; for a
/// document with an authorised person, that person's number and own birth date, or the holder's old document),
/// checked here and never on the box; opening hours, blocks and lockouts; one generic refusal for the panel; every
/// attempt audited without the PIN. When granted, it unlocks the compartment; when the door closes again the documents
/// are handed over and the compartment is free.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class PickupService(
    IApplicationDbContextFactory contextFactory,
    BridgeCommandService commands,
    AuditTrail audit,
    TimeProvider timeProvider,
    IOptions<PickupOptions> settings,
    PickupPins pins,
    IPersonalDataLookup lookup,
    IDatabaseErrors databaseErrors,
    BackOfficeMetrics metrics) : IBridgeObserver
{
    // The box panel's words to the citizen travel in the protocol's answer (like an SMS text, not staff UI text),
    // so they are written here in German rather than localized by the Web project.

    /// <summary>The only refusal the panel ever shows: it must not tell which factor was wrong.</summary>
    public const string Refusal = "Die Abholung ist nicht möglich. Bitte prüfen Sie Ihre Angaben oder wenden Sie sich an den Schalter.";
    public const string Closed = "Die Ausgabebox ist gerade geschlossen. Bitte kommen Sie zu den Öffnungszeiten wieder.";
    public const string Busy = "Zu viele Versuche an dieser Box. Bitte versuchen Sie es in einer Minute erneut.";
    public const string Granted = "Bitte entnehmen Sie Ihre Dokumente und schließen Sie die Tür.";

    // Verified when no document matches the number, so a wrong number costs as much time as a wrong PIN.
    private readonly string _dummyHash = pins.Hash(PickupPins.Generate());

    public async Task<PickupResponse> RequestAsync(BoxIdentity box, PickupRequest? request, CancellationToken cancellationToken)
    {
        if (request is null || request.RequestId == Guid.Empty)
        {
            throw new BridgeProtocolException("requestId is missing.");
        }
        if (string.IsNullOrWhiteSpace(request.Phone) || string.IsNullOrWhiteSpace(request.Pin))
        {
            // The panel asks for both before it sends; a request without them is not a citizen's attempt.
            throw new BridgeProtocolException("phone and pin are required.");
        }
        if (string.IsNullOrWhiteSpace(request.OldDocumentNumber) && string.IsNullOrWhiteSpace(request.BirthDate))
        {
            // Likewise the third factor: the panel refuses to send without one, so this must not count towards a lock.
            throw new BridgeProtocolException("oldDocumentNumber or birthDate is required.");
        }
        if ((request.Phone?.Length ?? 0) > 40 || (request.Pin?.Length ?? 0) > 20
            || (request.OldDocumentNumber?.Length ?? 0) > 20 || (request.BirthDate?.Length ?? 0) > 20)
        {
            throw new BridgeProtocolException("A field is too long.");
        }

        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var answered = await db.PickupRequests.AsNoTracking()
            .FirstOrDefaultAsync(r => r.BoxId == box.Id && r.RequestId == request.RequestId, cancellationToken);
        if (answered is not null)
        {
            return new PickupResponse(answered.Granted, answered.Compartments, answered.Message);
        }

        var now = timeProvider.GetUtcNow();
        var boxEntity = await db.Boxes.AsNoTracking().Include(b => b.OpeningHours).FirstAsync(b => b.Id == box.Id, cancellationToken);
        var subject = $"box:{box.Code}";
        if (!boxEntity.IsOpenAt(now))
        {
            return await AnswerAsync(db, box, request, false, [], Closed, "pickup.refused", subject, "closed", cancellationToken);
        }
        var since = now.AddMinutes(-1);
        if (await db.PickupRequests.CountAsync(r => r.BoxId == box.Id && r.At > since, cancellationToken) >= settings.Value.MaxRequestsPerBoxPerMinute)
        {
            // Not stored as an answer: a later retry with this id must be decided on its merits.
            audit.Record(db, AuditTrail.Box(box.Code), "pickup.refused", subject, "rate_limited");
            await db.SaveChangesAsync(cancellationToken);
            return new PickupResponse(false, [], Busy);
        }

        var phone = DocumentRules.NormalizeMobileNumber(request.Phone);
        // Numbers are stored encrypted: documents and failure counts are found by the number's keyed hash.
        var phoneHash = phone is null ? null : lookup.HashMobileNumber(phone);
        // The number finds its compartments: the number the PIN went to (an authorised person's, where there is one, so
        // the holder's own number no longer opens what someone else was authorised to collect). A compartment holds one
        // household, so everything ready in it is a
        // candidate, whoever's number it was registered with (a clerk may have joined a household with two numbers).
        // With their compartment's label in the same round trip: this is the citizen's waiting time.
        var found = phoneHash is null ? [] : await db.Documents
            .Where(d => d.State == DocumentState.ReadyForPickup && d.BoxId == box.Id
                && db.Documents.Any(p => p.CompartmentId == d.CompartmentId && p.BoxId == box.Id
                    && (p.AuthorizedMobileNumberHash == phoneHash || (p.AuthorizedMobileNumberHash == null && p.MobileNumberHash == phoneHash))
                    && p.State == DocumentState.ReadyForPickup))
            .Join(db.Compartments, d => d.CompartmentId, c => c.Id, (d, c) => new { Document = d, c.Label })
            .ToListAsync(cancellationToken);
        var candidates = found.Select(f => f.Document).ToList();
        var labelOf = found.ToDictionary(f => f.Document.Id, f => f.Label);
        var phoneFailures = phoneHash is null ? null : await db.PhonePickupFailures.FirstOrDefaultAsync(f => f.Phone == phoneHash, cancellationToken);

        // One unit per compartment and PIN: a household's documents share one PIN (documents loaded before that shared
        // nothing and stay units of one). Every factor of every unit is checked, whatever failed first: the time taken
        // tells nothing.
        var birthDate = DocumentTypes.ParseDate(request.BirthDate);
        var oldNumber = DocumentRules.NormalizeDocumentNumber(request.OldDocumentNumber);
        var units = candidates.GroupBy(d => (d.CompartmentId, d.PinHash)).Select(g => g.OrderBy(d => d.Id).ToList()).ToList();
        var matching = new List<Document>();
        var factor = PickupFactor.BirthDate;
        // What was wrong, per document, for its timeline (never what was entered).
        var wrong = new Dictionary<Guid, string>();
        foreach (var unit in units)
        {
            var pinOk = pins.Verify(request.Pin, unit[0].PinHash);
            var oldOk = false;
            var birthOk = false;
            foreach (var document in unit)
            {
                oldOk |= oldNumber.Length > 0 && document.OldDocumentNumbers.Aggregate(false, (any, n) => any | FixedEquals(n, oldNumber));
                // With an authorised person, that person's own birth date is the third factor, not the holder's.
                birthOk |= birthDate is { } date && date == (document.AuthorizedDateOfBirth ?? document.DateOfBirth);
            }
            var secondOk = oldOk | birthOk;
            foreach (var document in unit)
            {
                wrong[document.Id] = !pinOk && !secondOk ? "PIN und Geburtsdatum bzw. alter Ausweis falsch"
                    : !pinOk ? "PIN falsch"
                    : "Geburtsdatum bzw. alter Ausweis falsch";
            }
            if (pinOk & secondOk)
            {
                matching.AddRange(unit);
                // The old ID counts as the factor when it matched: then the slot keeps it and a deposit must follow.
                factor = oldOk ? PickupFactor.OldDocument : factor;
            }
        }
        if (units.Count == 0)
        {
            pins.Verify(request.Pin, _dummyHash);
        }

        var max = settings.Value.MaxFailedAttempts;
        var blocked = matching.FirstOrDefault(d => d.BlockedReason is not null);
        var refusedBy = phoneFailures?.LockedAt is not null ? "phone_locked"
            : matching.Count == 0 ? "factors"
            : matching.Any(d => d.PickupLockedAt is not null) ? "document_locked"
            : blocked is not null ? "blocked"
            : null;
        if (refusedBy is not null)
        {
            if (refusedBy == "factors")
            {
                CountFailure(db, AuditTrail.Box(box.Code), phoneHash, phoneFailures, candidates, wrong, now, max);
            }
            if (blocked is not null)
            {
                // The whole compartment stays closed; the household's other documents say why on their timeline.
                foreach (var other in matching.Where(d => d.BlockedReason is null))
                {
                    AuditTrail.AddTimeline(db, DocumentEvent.For(other, DocumentEventKind.Note, now, AuditTrail.Box(box.Code),
                        $"Abholung an der Box abgelehnt: Fach {labelOf[other.Id]} bleibt geschlossen, weil ein anderes Dokument darin gesperrt ist " +
                        $"({DocumentTypes.GermanNames[blocked.Type]} {Households.FirstName(blocked.HolderName)}: {blocked.BlockedReason}).",
                        labelOf[other.Id]));
                }
            }
            try
            {
                return await AnswerAsync(db, box, request, false, [], Refusal, "pickup.refused", subject, refusedBy, cancellationToken,
                    blocked is null ? $"{candidates.Count} document(s) for the number" : $"compartment kept closed: document:{blocked.Id} is blocked");
            }
            catch (Exception ex) when (ex is DbUpdateConcurrencyException or DbUpdateException)
            {
                // Two refusals for one number at the same moment: one is counted, the panel gets the same answer.
                return new PickupResponse(false, [], Refusal);
            }
        }

        // Granted: reserve every document of the compartment for this pickup (their concurrency token refuses a second
        // request at once); the door closing hands them all over.
        var byAuthorized = 0;
        foreach (var document in matching)
        {
            // Who is at the box: the number entered is the one the PIN went to, so for a document with an authorised
            // person it is that person (a household may hold the holder's own documents too).
            var authorized = document.AuthorizedMobileNumberHash is not null && document.AuthorizedMobileNumberHash == phoneHash;
            byAuthorized += authorized ? 1 : 0;
            AuditTrail.AddTimeline(db, document.StartPickup(now, AuditTrail.Box(box.Code),
                (authorized ? "Abholung an der Box durch die bevollmächtigte Person" : "Abholung an der Box") +
                (matching.Count > 1
                    ? $": Angaben bestätigt, Fach wird geöffnet; alle {matching.Count} Dokumente des Fachs werden ausgegeben."
                    : ": Angaben bestätigt, Fach wird geöffnet."),
                authorized));
        }
        if (phoneFailures is not null)
        {
            phoneFailures.Failures = 0;
        }
        var compartmentIds = matching.Select(d => d.CompartmentId!.Value).Distinct().ToList();
        var labels = matching.Select(d => labelOf[d.Id]).Distinct().Order(StringComparer.Ordinal).ToList();
        PickupResponse response;
        try
        {
            response = await AnswerAsync(db, box, request, true, labels, Granted, "pickup.granted", subject, "ok", cancellationToken,
                $"{matching.Count} document(s), compartments {string.Join(", ", labels)}, by {(factor == PickupFactor.OldDocument ? "old document" : "birth date")}" +
                (byAuthorized > 0 ? $", {byAuthorized} by an authorised person" : ""),
                factor, matching.Select(d => d.Id).ToList());
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException
            || (ex is DbUpdateException update && databaseErrors.IsUniqueViolation(update)))
        {
            // Another request for the same documents (or the same request id) won a moment ago: it opens the door.
            await using var again = await contextFactory.CreateAsync(cancellationToken);
            var winner = await again.PickupRequests.AsNoTracking()
                .FirstOrDefaultAsync(r => r.BoxId == box.Id && r.RequestId == request.RequestId, cancellationToken);
            return winner is null ? new PickupResponse(false, [], Refusal) : new PickupResponse(winner.Granted, winner.Compartments, winner.Message);
        }

        foreach (var compartmentId in compartmentIds)
        {
            var issue = await commands.IssueUnlockAsync(compartmentId, CommandPurpose.Pickup, AuditTrail.Box(box.Code), cancellationToken);
            metrics.PickupUnlockIssued(issue.CommandId, now);
        }
        return response;
    }

    /// <summary>
    /// Records what the slot did with an old ID: dropped into the bin (counted, matched to the pickup it was kept for)
    /// or handed back (recorded, never counted). The same event twice counts once.
    /// </summary>
    public async Task ReportOldDocumentAsync(BoxIdentity box, OldDocumentReport? report, CancellationToken cancellationToken)
    {
        if (report is null || report.EventId == Guid.Empty || report.At == default)
        {
            throw new BridgeProtocolException("eventId and at are required.");
        }
        if ((report.DocumentNumber?.Length ?? 0) > 20)
        {
            throw new BridgeProtocolException("documentNumber is too long.");
        }
        OldDocumentDisposition disposition;
        switch (report.Disposition)
        {
            // A bridge of the first release reports at insertion and never hands an old ID back.
            case null or BridgeProtocol.Dispositions.Deposited:
                disposition = OldDocumentDisposition.Deposited;
                break;
            case BridgeProtocol.Dispositions.HandedBack:
                disposition = OldDocumentDisposition.HandedBack;
                break;
            default:
                throw new BridgeProtocolException($"disposition must be one of {string.Join(", ", BridgeProtocol.Dispositions.All)}.");
        }
        if (report.RequestId == Guid.Empty)
        {
            throw new BridgeProtocolException("requestId must not be empty.");
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        if (await db.OldDocumentDeposits.AnyAsync(d => d.BoxId == box.Id && d.EventId == report.EventId, cancellationToken))
        {
            return;
        }
        var number = DocumentRules.NormalizeDocumentNumber(report.DocumentNumber);
        Guid? pickupId = null;
        Guid? documentId = null;
        if (disposition == OldDocumentDisposition.Deposited)
        {
            // The pickup it was kept for, when the bridge names one that was granted at this box.
            var pickup = report.RequestId is not { } requestId ? null : await db.PickupRequests.AsNoTracking()
                .FirstOrDefaultAsync(r => r.BoxId == box.Id && r.RequestId == requestId && r.Granted, cancellationToken);
            pickupId = pickup?.RequestId;
            // Whose old ID is it? Among the pickup's documents first (an unreadable number still belongs to that pickup);
            // otherwise (a first-release bridge) any document of this box being or already picked up.
            documentId = pickup is not null
                ? await db.Documents.Where(d => pickup.DocumentIds.Contains(d.Id))
                    .OrderBy(d => number.Length > 0 && d.OldDocumentNumbers.Contains(number) ? 0 : 1).ThenBy(d => d.Id)
                    .Select(d => (Guid?)d.Id).FirstOrDefaultAsync(cancellationToken)
                : number.Length == 0 ? null : await db.Documents
                    .Where(d => d.BoxId == box.Id && d.OldDocumentNumbers.Contains(number)
                        && (d.State == DocumentState.ReadyForPickup || d.State == DocumentState.PickupOpening || d.State == DocumentState.PickedUp))
                    // The one being picked up right now first, then the most recently loaded.
                    .OrderBy(d => d.State == DocumentState.PickupOpening ? 0 : d.State == DocumentState.ReadyForPickup ? 1 : 2)
                    .ThenByDescending(d => d.ReadyAt)
                    .Select(d => (Guid?)d.Id)
                    .FirstOrDefaultAsync(cancellationToken);
        }
        db.OldDocumentDeposits.Add(new OldDocumentDeposit
        {
            BoxId = box.Id,
            EventId = report.EventId,
            At = report.At,
            ReceivedAt = timeProvider.GetUtcNow(),
            DocumentId = documentId,
            Disposition = disposition,
            PickupRequestId = pickupId,
        });
        if (disposition == OldDocumentDisposition.HandedBack)
        {
            audit.Record(db, AuditTrail.Box(box.Code), "bin.handed_back", $"box:{box.Code}", "ok",
                report.RequestId is { } refused ? $"request {refused}" : null);
        }
        else
        {
            audit.Record(db, AuditTrail.Box(box.Code), "bin.deposit", $"box:{box.Code}", documentId is null && pickupId is null ? "unmatched" : "matched",
                documentId is null ? null : $"document:{documentId}");
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (databaseErrors.IsUniqueViolation(ex))
        {
            // The same event arrived twice at once; it is counted once.
        }
    }

    public async Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken)
    {
        if (change.State != DoorState.Closed || !change.Activity.PickupOpening)
        {
            return;
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        if (await HandOverAsync(db, change.CompartmentId, AuditTrail.System, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Marks the documents being picked up from the compartment as handed over (not saved). False when there are none.</summary>
    private async Task<bool> HandOverAsync(IApplicationDbContext db, Guid compartmentId, string actor, CancellationToken cancellationToken)
    {
        var documents = await db.Documents
            .Where(d => d.CompartmentId == compartmentId && d.State == DocumentState.PickupOpening)
            .ToListAsync(cancellationToken);
        if (documents.Count == 0)
        {
            return false;
        }
        var now = timeProvider.GetUtcNow();
        var compartment = await db.Compartments.FirstAsync(c => c.Id == compartmentId, cancellationToken);
        var code = await db.Boxes.Where(b => b.Id == compartment.BoxId).Select(b => b.Code).FirstAsync(cancellationToken);
        var box = AuditTrail.Box(code);
        var by = actor == AuditTrail.System ? box : actor;
        foreach (var document in documents)
        {
            var to = document.PickedUpByAuthorizedPerson ? " an die bevollmächtigte Person" : "";
            AuditTrail.AddTimeline(db, document.HandOver(now, by,
                by == box ? $"An der Box{to} übergeben (Fach {compartment.Label})." : $"Als{to} übergeben bestätigt (Fach {compartment.Label}).",
                compartment.Label));
        }
        // Documents of the household not picked up this time keep the compartment occupied.
        if (!await db.Documents.AnyAsync(d => d.CompartmentId == compartmentId && d.State == DocumentState.ReadyForPickup, cancellationToken))
        {
            compartment.Vacate();
        }
        audit.Record(db, by, "pickup.handed_over", $"compartment:{code}/{compartment.Label}", "ok", $"{documents.Count} document(s)");
        return true;
    }

    public async Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        if (command.Purpose != CommandPurpose.Pickup)
        {
            return;
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var actor = AuditTrail.Box(await db.Boxes.Where(b => b.Id == command.BoxId).Select(b => b.Code).FirstAsync(cancellationToken));
        if (command.Status == CommandStatus.Opened)
        {
            await ResumeAsync(db, command, actor, cancellationToken);
            return;
        }
        // The door did not open: the documents stay ready; the citizen can try again or go to the counter.
        var documents = await db.Documents
            .Where(d => d.CompartmentId == command.CompartmentId && d.State == DocumentState.PickupOpening)
            .ToListAsync(cancellationToken);
        foreach (var document in documents)
        {
            AuditTrail.AddTimeline(db, document.RevertPickup(timeProvider.GetUtcNow(), actor,
                $"Fach hat sich zur Abholung nicht geöffnet: {command.ResultDetail?.TrimEnd('.') ?? command.Status.ToString()}.", command.CompartmentLabel));
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The box says the door did open, after the server had assumed it did not (no answer in time): the citizen who
    /// passed the checks is at the open door. The documents go back to "being picked up", and if the door has closed
    /// since, they are handed over — what the box did wins.
    /// </summary>
    private async Task ResumeAsync(IApplicationDbContext db, BridgeCommand command, string actor, CancellationToken cancellationToken)
    {
        var reverted = await db.Documents
            .Where(d => d.CompartmentId == command.CompartmentId && d.State == DocumentState.ReadyForPickup
                && db.DocumentEvents.Where(e => e.DocumentId == d.Id).OrderByDescending(e => e.Id).Select(e => e.Kind).FirstOrDefault() == DocumentEventKind.PickupNotOpened
                && db.DocumentEvents.Any(e => e.DocumentId == d.Id && e.Kind == DocumentEventKind.PickupNotOpened && e.At >= command.CreatedAt))
            .ToListAsync(cancellationToken);
        if (reverted.Count == 0)
        {
            return;
        }
        var now = timeProvider.GetUtcNow();
        foreach (var document in reverted)
        {
            AuditTrail.AddTimeline(db, document.ResumePickup(now, actor, "Die Box meldet das Fach doch zur Abholung geöffnet.", command.CompartmentLabel));
        }
        var compartment = await db.Compartments.FirstAsync(c => c.Id == command.CompartmentId, cancellationToken);
        if (DoorHistory.ExplainsCheck(compartment, command.CreatedAt))
        {
            compartment.ClearCheck();
        }
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if ((await DoorHistory.SinceAsync(db, command.CompartmentId, command.CreatedAt, cancellationToken)).ClosedAfterOpening
            && await HandOverAsync(db, command.CompartmentId, AuditTrail.System, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A person settles a pickup the box never finished (stuck page): the citizen took the documents (handed over,
    /// compartment free) or did not (ready again).
    /// </summary>
    public async Task<bool> ResolveAsync(Guid compartmentId, bool handedOver, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        if (handedOver)
        {
            if (!await HandOverAsync(db, compartmentId, actor, cancellationToken))
            {
                return false;
            }
        }
        else
        {
            var documents = await db.Documents
                .Where(d => d.CompartmentId == compartmentId && d.State == DocumentState.PickupOpening)
                .ToListAsync(cancellationToken);
            if (documents.Count == 0)
            {
                return false;
            }
            var label = await db.Compartments.Where(c => c.Id == compartmentId).Select(c => c.Label).FirstAsync(cancellationToken);
            foreach (var document in documents)
            {
                AuditTrail.AddTimeline(db, document.RevertPickup(timeProvider.GetUtcNow(), actor, "Von Hand geklärt: nicht abgeholt, wieder abholbereit.", label));
            }
            audit.Record(db, actor, "pickup.resolved", $"compartment:{compartmentId}", "not_taken", $"{documents.Count} document(s)");
        }
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private void CountFailure(
        IApplicationDbContext db, string actor, string? phone, PhonePickupFailures? phoneFailures, List<Document> candidates,
        Dictionary<Guid, string> wrong, DateTimeOffset now, int max)
    {
        foreach (var document in candidates)
        {
            // Every refused attempt shows on the document (its Verlauf and Vorgangsauszug), not only the one that locks it.
            AuditTrail.AddTimeline(db, DocumentEvent.For(document, DocumentEventKind.PickupRefused, now, actor,
                $"Abholversuch an der Box abgelehnt: {wrong.GetValueOrDefault(document.Id, "Angaben falsch")} " +
                (document.PickupLockedAt is null ? $"(Fehlversuch {document.FailedPickupAttempts + 1} von {max})." : "(bereits gesperrt).")));
            if (document.RecordFailedAttempt(max, now, actor, $"Nach {max} Fehlversuchen an der Box gesperrt; Freigabe am Schalter.") is { } locked)
            {
                AuditTrail.AddTimeline(db, locked);
            }
        }
        if (phone is null)
        {
            return;
        }
        if (phoneFailures is null)
        {
            phoneFailures = new PhonePickupFailures { Phone = phone };
            db.PhonePickupFailures.Add(phoneFailures);
        }
        phoneFailures.Failures++;
        phoneFailures.LastFailureAt = now;
        if (phoneFailures.Failures >= max)
        {
            phoneFailures.LockedAt ??= now;
        }
    }

    private async Task<PickupResponse> AnswerAsync(
        IApplicationDbContext db, BoxIdentity box, PickupRequest request, bool granted, List<string> compartments, string message,
        string action, string subject, string outcome, CancellationToken cancellationToken, string? details = null,
        PickupFactor? factor = null, List<Guid>? documentIds = null)
    {
        db.PickupRequests.Add(new PickupRequestRecord
        {
            BoxId = box.Id,
            RequestId = request.RequestId,
            At = timeProvider.GetUtcNow(),
            Granted = granted,
            Compartments = compartments,
            Message = message,
            Factor = factor,
            DocumentIds = documentIds ?? [],
        });
        // The audit line names the outcome and the reason for staff; never the PIN, the number or the birth date.
        audit.Record(db, AuditTrail.Box(box.Code), action, subject, outcome, details);
        await db.SaveChangesAsync(cancellationToken);
        return new PickupResponse(granted, compartments, message);
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a.PadRight(20)), Encoding.UTF8.GetBytes(b.PadRight(20)));
}
