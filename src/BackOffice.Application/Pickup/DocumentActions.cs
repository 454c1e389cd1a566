using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Pickup;

/// <summary>What a clerk does for one document at the counter: new PIN, lift a lockout, block or release it.</summary>
/// <remarks>Singleton; every call uses its own database context. Each action is audited and written to the timeline.</remarks>
public sealed class DocumentActions(
    IApplicationDbContextFactory contextFactory,
    AuditTrail audit,
    SmsOutbox outbox,
    TimeProvider timeProvider,
    PickupPins pins,
    IPersonalDataLookup lookup)
{
    /// <summary>
    /// Issues a new PIN after the clerk checked the citizen's identity (<paramref name="identityProof"/>: what they showed). The old
    /// PIN stops working at once; the new one goes out by SMS and exists nowhere else.
    /// </summary>
    public async Task<string?> ReissuePinAsync(Guid documentId, IdentityProof identityProof, string actor, CancellationToken cancellationToken = default)
    {
        if (!IdentityProofs.GermanNames.TryGetValue(identityProof, out var shown))
        {
            return "Bitte angeben, wie die Identität geprüft wurde.";
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is not { State: DocumentState.ReadyForPickup })
        {
            return "Eine neue PIN gibt es nur für abholbereite Dokumente.";
        }
        var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == document.BoxId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var pin = PickupPins.Generate();
        document.PinHash = pins.Hash(pin);
        document.PinIssuedAt = now;
        document.FailedPickupAttempts = 0;
        document.PickupLockedAt = null;
        var deadline = document.PickupDeadline is { } day ? PickupDeadlines.EndOf(day, box.TimeZoneId) : now;
        outbox.Enqueue(db, document.MobileNumber, SmsPurpose.PinReissued, document.Id,
            SmsTexts.PinReissued(DocumentTypes.GermanNames[document.Type], box.Name, deadline, pin));
        AddEvent(db, document, DocumentEventKind.PinReissued, actor, $"Neue PIN per SMS (Identität geprüft: {shown} vorgelegt); die bisherige PIN gilt nicht mehr.", now);
        audit.Record(db, actor, "document.pin_reissued", $"document:{document.Id}", "ok", $"identity checked: {identityProof}");
        return await SaveAsync(db, cancellationToken, wakeSms: true);
    }

    /// <summary>Lifts a lockout after failed attempts, for the document and for its mobile number.</summary>
    public async Task<string?> LiftLockAsync(Guid documentId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return "Das Dokument gibt es nicht.";
        }
        var now = timeProvider.GetUtcNow();
        document.PickupLockedAt = null;
        document.FailedPickupAttempts = 0;
        var phoneHash = lookup.HashMobileNumber(document.MobileNumber);
        var phone = await db.PhonePickupFailures.FirstOrDefaultAsync(f => f.Phone == phoneHash, cancellationToken);
        if (phone is not null)
        {
            phone.LockedAt = null;
            phone.Failures = 0;
        }
        AddEvent(db, document, DocumentEventKind.LockLifted, actor, "Sperre nach Fehlversuchen aufgehoben.", now);
        audit.Record(db, actor, "document.lock_lifted", $"document:{document.Id}", "ok");
        return await SaveAsync(db, cancellationToken);
    }

    /// <summary>Blocks the document for legal reasons (reported lost, seized, handover refused): the box will not release it.</summary>
    public async Task<string?> BlockAsync(Guid documentId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        reason = reason.Trim();
        if (reason.Length is 0 or > 200)
        {
            return "Bitte einen Grund angeben (höchstens 200 Zeichen).";
        }
        return await ChangeBlockAsync(documentId, reason, actor, DocumentEventKind.Blocked, $"Gesperrt: {reason}", "document.blocked", cancellationToken);
    }

    public Task<string?> UnblockAsync(Guid documentId, string actor, CancellationToken cancellationToken = default) =>
        ChangeBlockAsync(documentId, null, actor, DocumentEventKind.Unblocked, "Sperre aufgehoben; die Box gibt das Dokument wieder heraus.", "document.unblocked", cancellationToken);

    private async Task<string?> ChangeBlockAsync(
        Guid documentId, string? reason, string actor, DocumentEventKind kind, string note, string action, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return "Das Dokument gibt es nicht.";
        }
        document.BlockedReason = reason;
        AddEvent(db, document, kind, actor, note, timeProvider.GetUtcNow());
        audit.Record(db, actor, action, $"document:{document.Id}", "ok", reason);
        return await SaveAsync(db, cancellationToken);
    }

    private async Task<string?> SaveAsync(IApplicationDbContext db, CancellationToken cancellationToken, bool wakeSms = false)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return "Das Dokument wurde gerade anderweitig geändert (z. B. an der Box abgeholt). Bitte neu laden.";
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
