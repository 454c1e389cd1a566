using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Pickup;

/// <summary>
/// What a clerk does for a document at the counter: new PIN, lift a lockout, block or release it, join it to a household.
/// PIN and lockout belong to the compartment, so they act on every document of the household in it.
/// </summary>
/// <remarks>
/// Singleton; every call uses its own database context. Each action is audited and written to the timeline, and returns
/// null when done, else why not.
/// </remarks>
public sealed class DocumentActions(
    IApplicationDbContextFactory contextFactory,
    AuditTrail audit,
    SmsOutbox outbox,
    TimeProvider timeProvider,
    PickupPins pins,
    IPersonalDataLookup lookup)
{
    /// <summary>
    /// Issues a new PIN after the clerk checked the citizen's identity (<paramref name="identityProof"/>: what they showed). The PIN
    /// belongs to the compartment: every document of the household in it gets the new one, the old PIN stops working at
    /// once, and one SMS per mobile number names them all; the PIN exists nowhere else.
    /// </summary>
    public async Task<Refusal?> ReissuePinAsync(Guid documentId, IdentityProof identityProof, string actor, CancellationToken cancellationToken = default)
    {
        if (!IdentityProofs.GermanNames.TryGetValue(identityProof, out var shown))
        {
            return new Refusal(RefusalCode.IdentityProofRequired);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is not { State: DocumentState.ReadyForPickup })
        {
            return new Refusal(RefusalCode.PinOnlyWhenReady);
        }
        var household = await CompartmentHouseholdAsync(db, document, cancellationToken);
        // Named in the order they were loaded, as in the first SMS (the database returns them in no particular order).
        var loadOrder = await db.CompartmentLoads.Where(l => l.Id == document.LoadId).Select(l => l.DocumentIds).FirstOrDefaultAsync(cancellationToken);
        if (loadOrder is not null)
        {
            household = Households.InLoadOrder(household, loadOrder);
        }
        var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == document.BoxId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var pin = PickupPins.Generate();
        var hash = pins.Hash(pin);
        foreach (var member in household)
        {
            AuditTrail.AddTimeline(db, member.ReissuePin(hash, now, actor,
                $"Neue PIN per SMS (Identität geprüft: {shown} vorgelegt); die bisherige PIN gilt nicht mehr" +
                (household.Count > 1 ? $" (gilt für alle {household.Count} Dokumente des Fachs)." : ".")));
        }
        var deadline = document.PickupDeadline is { } day ? PickupDeadlines.EndOf(day, box.TimeZoneId) : now;
        var named = household.Select(Households.ForSms).ToList();
        foreach (var recipient in Households.PinRecipients(household))
        {
            outbox.Enqueue(db, recipient.MobileNumber, SmsPurpose.PinReissued, recipient.FiledUnder.Id,
                SmsTexts.PinReissued(named, box.Name, deadline, pin, recipient.Authorized));
        }
        audit.Record(db, actor, "document.pin_reissued", $"document:{document.Id}", "ok",
            household.Count > 1 ? $"identity checked: {identityProof}; {household.Count} documents of the compartment" : $"identity checked: {identityProof}");
        return await SaveAsync(db, cancellationToken, wakeSms: true);
    }

    /// <summary>
    /// A document reported missing ("vermisst", after an inventory) was found after all: back at the counter with the
    /// clerk's reason (where it was), audited, and the citizen gets the SMS of any return to the counter. Counter staff
    /// may, as they may report it missing (the Inventur-Abweichungen).
    /// </summary>
    public async Task<Refusal?> ReportFoundAsync(Guid documentId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        reason = (reason ?? "").Trim();
        if (reason.Length is 0 or > 200)
        {
            return new Refusal(RefusalCode.FoundReasonRequired, 200);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        if (document.State != DocumentState.Missing)
        {
            return new Refusal(RefusalCode.FoundOnlyWhenMissing);
        }
        var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == document.BoxId, cancellationToken);
        AuditTrail.AddTimeline(db, document.ReportFound(timeProvider.GetUtcNow(), actor,
            $"Wiedergefunden, liegt am Schalter; die PIN bleibt ungültig, SMS an den Bürger vorgemerkt: {reason}"));
        await Overdue.DocumentRetrieval.QueueBackAtCounterSmsAsync(db, outbox, [document], box.Name, cancellationToken);
        audit.Record(db, actor, "document.found", $"document:{document.Id}", "ok", reason);
        return await SaveAsync(db, cancellationToken, wakeSms: true);
    }

    /// <summary>
    /// Lifts a lockout after failed attempts, for every document of the household's compartment and their mobile numbers,
    /// once the clerk checked the citizen's identity (<paramref name="identityProof"/>) and gave a reason (both audited).
    /// </summary>
    public async Task<Refusal?> LiftLockAsync(
        Guid documentId, IdentityProof identityProof, string reason, string actor, CancellationToken cancellationToken = default)
    {
        if (!IdentityProofs.GermanNames.TryGetValue(identityProof, out var shown))
        {
            return new Refusal(RefusalCode.IdentityProofRequired);
        }
        reason = (reason ?? "").Trim();
        if (reason.Length is 0 or > 200)
        {
            return new Refusal(RefusalCode.LiftReasonRequired, 200);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        var now = timeProvider.GetUtcNow();
        var household = await CompartmentHouseholdAsync(db, document, cancellationToken);
        foreach (var member in household)
        {
            var wasLocked = member.PickupLockedAt is not null || member.FailedPickupAttempts > 0;
            var lifted = member.LiftLock(now, actor, $"Sperre nach Fehlversuchen aufgehoben (Identität geprüft: {shown} vorgelegt): {reason}");
            // The others of the household get a timeline line only when there was something to lift.
            if (member.Id == document.Id || wasLocked)
            {
                AuditTrail.AddTimeline(db, lifted);
            }
        }
        var phoneHashes = household.Select(d => lookup.HashMobileNumber(d.MobileNumber)).Distinct().ToList();
        foreach (var phone in await db.PhonePickupFailures.Where(f => phoneHashes.Contains(f.Phone)).ToListAsync(cancellationToken))
        {
            phone.LockedAt = null;
            phone.Failures = 0;
        }
        audit.Record(db, actor, "document.lock_lifted", $"document:{document.Id}", "ok",
            $"identity checked: {identityProof}; {reason}" + (household.Count > 1 ? $"; {household.Count} documents of the compartment" : ""));
        return await SaveAsync(db, cancellationToken);
    }

    /// <summary>
    /// Changes the document's mobile number after the clerk checked the holder's identity, so a new PIN reaches the
    /// holder's new phone. The number itself is kept out of the timeline and the audit trail (which are never erased).
    /// </summary>
    public async Task<Refusal?> ChangeMobileNumberAsync(
        Guid documentId, IdentityProof identityProof, string mobileNumber, string actor, CancellationToken cancellationToken = default)
    {
        if (!IdentityProofs.GermanNames.TryGetValue(identityProof, out var shown))
        {
            return new Refusal(RefusalCode.IdentityProofRequired);
        }
        if (DocumentRules.NormalizeMobileNumber(mobileNumber) is not { } normalized)
        {
            return new Refusal(RefusalCode.MobileNumberInvalid);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        if (document.ChangeMobileNumber(normalized, timeProvider.GetUtcNow(), actor,
                $"Mobilnummer geändert (Identität geprüft: {shown} vorgelegt).") is not { } changed)
        {
            return new Refusal(RefusalCode.MobileNumberNotChangeable);
        }
        AuditTrail.AddTimeline(db, changed);
        audit.Record(db, actor, "document.mobile_changed", $"document:{document.Id}", "ok", $"identity checked: {identityProof}");
        return await SaveAsync(db, cancellationToken);
    }

    /// <summary>
    /// Blocks the document for legal reasons (reported lost, seized, handover refused): the box will not release it, and
    /// since a household's documents leave the compartment together, the whole compartment stays closed; the others'
    /// timelines say why.
    /// </summary>
    public async Task<Refusal?> BlockAsync(Guid documentId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        reason = reason.Trim();
        if (reason.Length is 0 or > 200)
        {
            return new Refusal(RefusalCode.BlockReasonRequired, 200);
        }
        return await ChangeBlockAsync(documentId, reason, actor, $"Gesperrt: {reason}", "document.blocked", cancellationToken);
    }

    public Task<Refusal?> UnblockAsync(Guid documentId, string actor, CancellationToken cancellationToken = default) =>
        ChangeBlockAsync(documentId, null, actor, "Sperre aufgehoben; die Box gibt das Dokument wieder heraus.", "document.unblocked", cancellationToken);

    /// <summary>
    /// Joins <paramref name="documentId"/> to the household of the document numbered <paramref name="householdDocumentNumber"/>
    /// (people who belong together but registered different mobile numbers), so both can share one compartment and PIN.
    /// Only before loading; the reason is required and audited.
    /// </summary>
    public async Task<Refusal?> JoinHouseholdAsync(
        Guid documentId, string householdDocumentNumber, string reason, string actor, CancellationToken cancellationToken = default)
    {
        reason = (reason ?? "").Trim();
        if (reason.Length is 0 or > 200)
        {
            return new Refusal(RefusalCode.JoinReasonRequired, 200);
        }
        var number = DocumentRules.NormalizeDocumentNumber(householdDocumentNumber);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        var target = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.DocumentNumber == number, cancellationToken);
        if (document is null || target is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        if (document.State != DocumentState.Arrived || target.State != DocumentState.Arrived || document.BoxId != target.BoxId)
        {
            return new Refusal(RefusalCode.JoinOnlyAtCounter);
        }
        if (Households.KeyOf(document) == Households.KeyOf(target))
        {
            return null; // Already one household.
        }
        var now = timeProvider.GetUtcNow();
        AuditTrail.AddTimeline(db, document.JoinHousehold(Households.KeyOf(target), now, actor,
            $"Dem Haushalt von Dokument {DocumentRules.MaskDocumentNumber(target.DocumentNumber)} zugeordnet: {reason}"));
        audit.Record(db, actor, "document.household_joined", $"document:{document.Id}", "ok", $"joined document:{target.Id}: {reason}");
        return await SaveAsync(db, cancellationToken);
    }

    private async Task<Refusal?> ChangeBlockAsync(
        Guid documentId, string? reason, string actor, string note, string action, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        var now = timeProvider.GetUtcNow();
        AuditTrail.AddTimeline(db, reason is null ? document.Unblock(now, actor, note) : document.Block(reason, now, actor, note));
        if (document.State == DocumentState.ReadyForPickup)
        {
            var name = $"{DocumentTypes.GermanNames[document.Type]} {Households.FirstName(document.HolderName)}";
            foreach (var other in (await CompartmentHouseholdAsync(db, document, cancellationToken)).Where(d => d.Id != document.Id))
            {
                AddEvent(db, other, DocumentEventKind.Note, actor, reason is null
                    ? $"Sperre von {name} im selben Fach aufgehoben; das Fach gibt wieder alle Dokumente heraus."
                    : $"Das Fach bleibt geschlossen: {name} im selben Fach ist gesperrt ({reason}). Alle Dokumente des Fachs werden nur zusammen ausgegeben.", now);
            }
        }
        audit.Record(db, actor, action, $"document:{document.Id}", "ok", reason);
        return await SaveAsync(db, cancellationToken);
    }

    /// <summary>The documents ready in the same compartment (the household; one PIN, one pickup), or the document alone.</summary>
    internal static async Task<List<Document>> CompartmentHouseholdAsync(IApplicationDbContext db, Document document, CancellationToken cancellationToken)
    {
        if (document.CompartmentId is not { } compartmentId || document.State != DocumentState.ReadyForPickup)
        {
            return [document];
        }
        var others = await db.Documents
            .Where(d => d.CompartmentId == compartmentId && d.State == DocumentState.ReadyForPickup && d.Id != document.Id && d.PinHash == document.PinHash)
            .ToListAsync(cancellationToken);
        var loadOrder = await LoadOrderAsync(db, document.LoadId, cancellationToken);
        return Households.InLoadOrder([document, .. others], loadOrder);
    }

    /// <summary>The order the clerk scanned the loading's documents in (the SMS names them so).</summary>
    internal static async Task<List<Guid>?> LoadOrderAsync(IApplicationDbContext db, Guid? loadId, CancellationToken cancellationToken) =>
        loadId is not { } id ? null : await db.CompartmentLoads.Where(l => l.Id == id).Select(l => l.DocumentIds).FirstOrDefaultAsync(cancellationToken);

    private async Task<Refusal?> SaveAsync(IApplicationDbContext db, CancellationToken cancellationToken, bool wakeSms = false)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Refusal(RefusalCode.DocumentChangedMeanwhile);
        }
        if (wakeSms)
        {
            outbox.Wake();
        }
        return null;
    }

    private static void AddEvent(IApplicationDbContext db, Document document, DocumentEventKind kind, string actor, string note, DateTimeOffset at) =>
        AuditTrail.AddTimeline(db, DocumentEvent.For(document, kind, at, actor, note));
}

/// <summary>How the timeline and printed reports name an <see cref="IdentityProof"/>.</summary>
public static class IdentityProofs
{
    public static IReadOnlyDictionary<IdentityProof, string> GermanNames { get; } = new Dictionary<IdentityProof, string>
    {
        [IdentityProof.IdCard] = "Personalausweis",
        [IdentityProof.Passport] = "Reisepass",
        [IdentityProof.ResidencePermit] = "Aufenthaltstitel",
        [IdentityProof.OtherOfficialPhotoId] = "anderes amtliches Lichtbilddokument",
    };
}
