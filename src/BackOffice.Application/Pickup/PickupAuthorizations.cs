using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Pickup;

/// <summary>
/// The counter's exceptions to the plain pickup: a person the holder authorised collects the document (Vollmacht), and
/// a clerk extends the pickup deadline. Each is audited and written to the timeline, without the authorised person's
/// data (the audit trail is never erased; the document's own fields are, by the retention run).
/// </summary>
/// <remarks>Singleton; every call uses its own database context. Each returns null when done, else why not.</remarks>
public sealed class PickupAuthorizations(
    IApplicationDbContextFactory contextFactory,
    AuditTrail audit,
    SmsOutbox outbox,
    TimeProvider timeProvider,
    PickupPins pins,
    IOptions<PickupOptions> settings)
{
    /// <summary>
    /// Records the person the holder authorised, once the clerk saw the signed authorisation (<paramref name="proof"/>).
    /// At the counter (not loaded yet) the PIN SMS at loading goes to that person. Ready for pickup: a new PIN goes to
    /// that person and the holder's stops working — only for a document alone in its compartment, since a compartment's
    /// documents share one PIN and leave together.
    /// </summary>
    public async Task<Refusal?> RecordAsync(
        Guid documentId, AuthorizedPersonDraft draft, AuthorizationProof? proof, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (proof is not { } shown || !AuthorizationProofs.AtCounter.Contains(shown))
        {
            return new Refusal(RefusalCode.AuthorizationProofRequired);
        }
        var now = timeProvider.GetUtcNow();
        var (person, errors) = AuthorizedPerson.Validate(draft, DateOnly.FromDateTime(OfficeClock.ToOfficeTime(now).DateTime));
        if (person is null)
        {
            return errors.Values.First();
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        if (document.State is not (DocumentState.Arrived or DocumentState.ReadyForPickup) || document.PersonalDataErasedAt is not null)
        {
            return new Refusal(RefusalCode.AuthorizationNotPossible);
        }
        if (document.AuthorizedName is not null)
        {
            return new Refusal(RefusalCode.AuthorizationExists);
        }
        var proofName = AuthorizationProofs.GermanNames[shown];
        if (document.State == DocumentState.Arrived)
        {
            AuditTrail.AddTimeline(db, document.RecordAuthorization(person.Name, person.DateOfBirth, person.MobileNumber, shown, null, now, actor,
                $"Vollmacht erfasst ({proofName}): Die PIN geht beim Einlegen an die bevollmächtigte Person."));
        }
        else
        {
            var household = await DocumentActions.CompartmentHouseholdAsync(db, document, cancellationToken);
            if (household.Count > 1)
            {
                return new Refusal(RefusalCode.AuthorizationSharedCompartment, household.Count);
            }
            var pin = PickupPins.Generate();
            AuditTrail.AddTimeline(db, document.RecordAuthorization(person.Name, person.DateOfBirth, person.MobileNumber, shown, pins.Hash(pin), now, actor,
                $"Vollmacht erfasst ({proofName}): neue PIN per SMS an die bevollmächtigte Person; die bisherige PIN gilt nicht mehr."));
            await SendPinAsync(db, document, pin, authorized: true, cancellationToken);
        }
        audit.Record(db, actor, "document.authorization_recorded", AuditTrail.Document(document.Id), "ok",
            $"proof: {shown}" + (document.State == DocumentState.ReadyForPickup ? "; new PIN to the authorised person" : ""));
        return await SaveAsync(db, cancellationToken, wakeSms: document.State == DocumentState.ReadyForPickup);
    }

    /// <summary>
    /// Revokes the authorisation. Ready for pickup: the authorised person's PIN stops working and a new one goes to the
    /// holder (for every document of the compartment, which share one PIN).
    /// </summary>
    public async Task<Refusal?> RevokeAsync(Guid documentId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        if (document.AuthorizedName is null)
        {
            return new Refusal(RefusalCode.AuthorizationMissing);
        }
        if (document.State is not (DocumentState.Arrived or DocumentState.ReadyForPickup or DocumentState.BackAtCounter))
        {
            return new Refusal(RefusalCode.AuthorizationNotPossible);
        }
        var now = timeProvider.GetUtcNow();
        if (document.State != DocumentState.ReadyForPickup)
        {
            AuditTrail.AddTimeline(db, document.RevokeAuthorization(null, now, actor, "Vollmacht widerrufen."));
            audit.Record(db, actor, "document.authorization_revoked", AuditTrail.Document(document.Id), "ok");
            return await SaveAsync(db, cancellationToken);
        }
        var household = await DocumentActions.CompartmentHouseholdAsync(db, document, cancellationToken);
        var pin = PickupPins.Generate();
        var hash = pins.Hash(pin);
        AuditTrail.AddTimeline(db, document.RevokeAuthorization(hash, now, actor,
            "Vollmacht widerrufen: Die PIN der bevollmächtigten Person gilt nicht mehr; neue PIN per SMS an die Inhaberin/den Inhaber."));
        foreach (var other in household.Where(d => d.Id != document.Id))
        {
            // The compartment's documents share one PIN: the others get the new one too.
            AuditTrail.AddTimeline(db, other.ReissuePin(hash, now, actor,
                "Neue PIN per SMS, weil im selben Fach eine Vollmacht widerrufen wurde; die bisherige PIN gilt nicht mehr."));
        }
        await SendPinAsync(db, household, pin, cancellationToken);
        audit.Record(db, actor, "document.authorization_revoked", AuditTrail.Document(document.Id), "ok",
            "new PIN to the holder" + (household.Count > 1 ? $"; {household.Count} documents of the compartment" : ""));
        return await SaveAsync(db, cancellationToken, wakeSms: true);
    }

    /// <summary>
    /// Extends the pickup deadline of a ready document by <paramref name="days"/> (at most
    /// <see cref="PickupOptions.ExtensionDays"/>, at most <see cref="PickupOptions.MaxExtensions"/> times), for every
    /// document of its compartment (they leave together); the number their PIN went to gets an SMS with the new date.
    /// </summary>
    public async Task<Refusal?> ExtendDeadlineAsync(Guid documentId, int days, string reason, string actor, CancellationToken cancellationToken = default)
    {
        var options = settings.Value;
        reason = (reason ?? "").Trim();
        if (reason.Length is 0 or > 200)
        {
            return new Refusal(RefusalCode.ExtensionReasonRequired, 200);
        }
        if (days < 1 || days > options.ExtensionDays)
        {
            return new Refusal(RefusalCode.ExtensionDaysRange, options.ExtensionDays);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return new Refusal(RefusalCode.DocumentNotFound);
        }
        if (document is not { State: DocumentState.ReadyForPickup, PickupDeadline: not null })
        {
            return new Refusal(RefusalCode.ExtensionOnlyWhenReady);
        }
        var household = await DocumentActions.CompartmentHouseholdAsync(db, document, cancellationToken);
        if (household.Any(d => d.DeadlineExtensions >= options.MaxExtensions))
        {
            return new Refusal(RefusalCode.ExtensionLimitReached, options.MaxExtensions);
        }
        var now = timeProvider.GetUtcNow();
        var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == document.BoxId, cancellationToken);
        // The compartment's documents were loaded together and share their deadline: the new one is the clerk's
        // document's plus the days, for all of them.
        var newDeadline = document.PickupDeadline.Value.AddDays(days);
        foreach (var member in household)
        {
            var add = newDeadline.DayNumber - member.PickupDeadline!.Value.DayNumber;
            AuditTrail.AddTimeline(db, member.ExtendDeadline(Math.Clamp(add, 1, options.ExtensionDays), options.ExtensionDays, options.MaxExtensions, now, actor,
                $"Abholfrist um {days} {(days == 1 ? "Tag" : "Tage")} verlängert bis {newDeadline:dd.MM.yyyy} " +
                $"({member.DeadlineExtensions + 1}. Verlängerung): {reason}"));
        }
        var text = SmsTexts.DeadlineExtended(household.Select(Households.ForSms).ToList(), box.Name, PickupDeadlines.EndOf(newDeadline, box.TimeZoneId));
        foreach (var recipient in Households.PinRecipients(household))
        {
            outbox.Enqueue(db, recipient.MobileNumber, SmsPurpose.DeadlineExtended, recipient.FiledUnder.Id, text);
        }
        audit.Record(db, actor, "document.deadline_extended", AuditTrail.Document(document.Id), "ok",
            $"+{days} day(s) to {newDeadline:yyyy-MM-dd}; {reason}" + (household.Count > 1 ? $"; {household.Count} documents of the compartment" : ""));
        return await SaveAsync(db, cancellationToken, wakeSms: true);
    }

    /// <summary>The new PIN of <paramref name="document"/> alone (a compartment of one), to the number it goes to now.</summary>
    private async Task SendPinAsync(IApplicationDbContext db, Document document, string pin, bool authorized, CancellationToken cancellationToken)
    {
        var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == document.BoxId, cancellationToken);
        var deadline = PickupDeadlines.EndOf(document.PickupDeadline!.Value, box.TimeZoneId);
        outbox.Enqueue(db, document.PinRecipient, SmsPurpose.PinReissued, document.Id,
            SmsTexts.PinReissued([Households.ForSms(document)], box.Name, deadline, pin, authorized));
    }

    private async Task SendPinAsync(IApplicationDbContext db, List<Document> household, string pin, CancellationToken cancellationToken)
    {
        var box = await db.Boxes.AsNoTracking().FirstAsync(b => b.Id == household[0].BoxId, cancellationToken);
        var deadline = PickupDeadlines.EndOf(household[0].PickupDeadline!.Value, box.TimeZoneId);
        var named = household.Select(Households.ForSms).ToList();
        foreach (var recipient in Households.PinRecipients(household))
        {
            outbox.Enqueue(db, recipient.MobileNumber, SmsPurpose.PinReissued, recipient.FiledUnder.Id,
                SmsTexts.PinReissued(named, box.Name, deadline, pin, recipient.Authorized));
        }
    }

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
}
