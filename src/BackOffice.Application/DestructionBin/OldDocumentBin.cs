using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.DestructionBin;

/// <summary>The old-ID bin of one box now: fill level from the heartbeat, deposits since it was last emptied.</summary>
public sealed record BinStatus(
    Guid BoxId, string BoxCode, string BoxName, int? FillPercent, DateTimeOffset? FillReportedAt, int DepositsSinceEmptying,
    int UnmatchedSinceEmptying, BinEmptying? LastEmptying);

/// <summary>Who followed a reconciliation line up, when, and what they found.</summary>
public sealed record FollowUpMark(string By, DateTimeOffset At, string Note);

/// <summary>A pickup that used the old ID, but no deposit of it arrived: the old ID should be in the bin and is not known to be.</summary>
public sealed record MissingDeposit(
    Guid RequestId, DateTimeOffset At, string Compartments, IReadOnlyList<Guid> DocumentIds, IReadOnlyList<string> MaskedNumbers, FollowUpMark? FollowUp);

/// <summary>A deposit in the bin that no pickup or document could be matched to.</summary>
public sealed record UnmatchedDeposit(Guid EventId, DateTimeOffset At, DateTimeOffset ReceivedAt, FollowUpMark? FollowUp);

/// <summary>
/// Deposits against pickups over a period: what the destruction slot kept and what it should have. A pickup by birth
/// date keeps no old ID and is never missing one; old IDs handed back after a refusal are not in the bin.
/// </summary>
public sealed record BinReconciliation(
    int Deposits, int MatchedDeposits, int UnmatchedDeposits, int HandedBack, int PickupsWithOldDocument, int PickupsByBirthDate,
    IReadOnlyList<MissingDeposit> Missing, IReadOnlyList<UnmatchedDeposit> Unmatched);

/// <summary>What the form asks for when the bin is emptied: the count, a note, and the second person's proof.</summary>
public sealed record BinEmptyingInput(Guid BoxId, int CountedDocuments, string? Note, WitnessProof Witness);

/// <summary>
/// The old-ID bin (destruction slot): counts deposits, records emptyings with two staff members (four-eyes: the second
/// confirms with their own password or a fresh directory sign-in) and reconciles deposits with pickups. Emptyings feed the destruction log.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class OldDocumentBin(
    IApplicationDbContextFactory contextFactory,
    IStaffVerification staff,
    AuditTrail audit,
    TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<BinStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var boxes = await db.Boxes.AsNoTracking().OrderBy(b => b.Code)
            .Select(b => new { b.Id, b.Code, b.Name, b.ReturnBinFillPercent, b.LastHeartbeatAt })
            .ToListAsync(cancellationToken);
        var result = new List<BinStatus>();
        foreach (var box in boxes)
        {
            var last = await LastEmptyingAsync(db, box.Id, cancellationToken);
            var since = last?.DepositsUntil ?? DateTimeOffset.MinValue;
            // Only what the slot kept is in the bin; an old ID handed back after a refused pickup is not.
            var deposits = db.OldDocumentDeposits.Where(d => d.BoxId == box.Id && d.ReceivedAt > since && d.Disposition == OldDocumentDisposition.Deposited);
            result.Add(new BinStatus(box.Id, box.Code, box.Name, box.ReturnBinFillPercent, box.LastHeartbeatAt,
                await deposits.CountAsync(cancellationToken),
                await deposits.CountAsync(d => d.DocumentId == null && d.PickupRequestId == null, cancellationToken), last));
        }
        return result;
    }

    /// <summary>Records an emptying; returns why not, or null when it was recorded.</summary>
    public async Task<Refusal?> RecordEmptyingAsync(BinEmptyingInput input, string recordedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (input.CountedDocuments is < 0 or > 100_000)
        {
            return new Refusal(RefusalCode.CountRequired);
        }
        if (note?.Length > BinEmptying.NoteMaxLength)
        {
            return new Refusal(RefusalCode.NoteTooLong, BinEmptying.NoteMaxLength);
        }
        if (input.Witness is WitnessPassword typed && string.Equals(typed.UserName?.Trim(), recordedBy, StringComparison.OrdinalIgnoreCase))
        {
            return new Refusal(RefusalCode.WitnessMustDiffer);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var box = await db.Boxes.AsNoTracking().FirstOrDefaultAsync(b => b.Id == input.BoxId, cancellationToken);
        if (box is null)
        {
            return new Refusal(RefusalCode.BinBoxNotFound);
        }
        var now = timeProvider.GetUtcNow();
        var last = await LastEmptyingAsync(db, box.Id, cancellationToken);
        var since = last?.DepositsUntil ?? DateTimeOffset.MinValue;
        var reported = await db.OldDocumentDeposits.CountAsync(
            d => d.BoxId == box.Id && d.ReceivedAt > since && d.ReceivedAt <= now && d.Disposition == OldDocumentDisposition.Deposited, cancellationToken);
        if (reported != input.CountedDocuments && note is null)
        {
            return new Refusal(RefusalCode.CountDiffers, input.CountedDocuments, reported);
        }

        // The witness is checked last, so a form with other mistakes costs them no failed attempt (nor their sign-in).
        var witness = await staff.ConfirmAsync(input.Witness ?? new WitnessPassword("", ""), AuditTrail.Staff(recordedBy), WitnessPurpose.BinEmptying, cancellationToken);
        if (!witness.Verified)
        {
            audit.Record(db, AuditTrail.Staff(recordedBy), "bin.emptying.witness_refused", $"box:{box.Code}", "refused", witness.Refusal?.Code.ToString());
            await db.SaveChangesAsync(cancellationToken);
            return witness.Refusal;
        }
        if (string.Equals(witness.UserName, recordedBy, StringComparison.OrdinalIgnoreCase))
        {
            return new Refusal(RefusalCode.WitnessMustDiffer);
        }

        var emptying = new BinEmptying
        {
            Id = Guid.NewGuid(),
            BoxId = box.Id,
            EmptiedAt = now,
            CountedDocuments = input.CountedDocuments,
            ReportedDeposits = reported,
            DepositsUntil = now,
            RecordedBy = recordedBy,
            WitnessedBy = witness.UserName!,
            Note = note,
        };
        db.BinEmptyings.Add(emptying);
        audit.Record(db, AuditTrail.Staff(recordedBy), "bin.emptied", $"box:{box.Code}", reported == input.CountedDocuments ? "ok" : "difference",
            $"counted {input.CountedDocuments}, reported {reported}, witnessed by {witness.UserName}");
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Emptyings of one box (or all) in a period, oldest first: the destruction log.</summary>
    public async Task<IReadOnlyList<BinEmptying>> EmptyingsAsync(
        Guid? boxId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        return await db.BinEmptyings.AsNoTracking()
            .Where(e => (boxId == null || e.BoxId == boxId) && e.EmptiedAt >= from && e.EmptiedAt < to)
            .OrderBy(e => e.EmptiedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Deposits against pickups in a period. Pickups are the granted requests, split by the third factor they used; every
    /// pickup with the old ID should have a deposit (the slot kept that old ID). Lists those without one and the deposits
    /// nobody could be matched to, each with its follow-up mark if someone already looked into it.
    /// </summary>
    public async Task<BinReconciliation> ReconcileAsync(Guid boxId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var inPeriod = db.OldDocumentDeposits.AsNoTracking().Where(d => d.BoxId == boxId && d.ReceivedAt >= from && d.ReceivedAt < to);
        var deposits = inPeriod.Where(d => d.Disposition == OldDocumentDisposition.Deposited);
        var depositCount = await deposits.CountAsync(cancellationToken);
        var handedBack = await inPeriod.CountAsync(d => d.Disposition == OldDocumentDisposition.HandedBack, cancellationToken);
        var unmatchedRows = await deposits.Where(d => d.DocumentId == null && d.PickupRequestId == null)
            .OrderBy(d => d.ReceivedAt).Select(d => new { d.EventId, d.At, d.ReceivedAt }).ToListAsync(cancellationToken);

        var pickups = db.PickupRequests.AsNoTracking().Where(r => r.BoxId == boxId && r.Granted && r.At >= from && r.At < to);
        var withOld = pickups.Where(r => r.Factor == PickupFactor.OldDocument);
        // A deposit belongs to a pickup by the request the bridge named, or (first-release bridges) by the document matched.
        var missingRows = await withOld
            .Where(r => !db.OldDocumentDeposits.Any(o => o.BoxId == boxId && o.Disposition == OldDocumentDisposition.Deposited
                && (o.PickupRequestId == r.RequestId || (o.DocumentId != null && r.DocumentIds.Contains(o.DocumentId.Value)))))
            .OrderBy(r => r.At)
            .Select(r => new { r.RequestId, r.At, r.Compartments, r.DocumentIds })
            .ToListAsync(cancellationToken);
        var documentIds = missingRows.SelectMany(r => r.DocumentIds).Distinct().ToList();
        var numbers = await db.Documents.AsNoTracking().Where(d => documentIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => DocumentRules.MaskDocumentNumber(d.DocumentNumber), cancellationToken);
        var references = missingRows.Select(r => r.RequestId).Concat(unmatchedRows.Select(d => d.EventId)).ToList();
        var marks = await db.BinFollowUps.AsNoTracking().Where(f => f.BoxId == boxId && references.Contains(f.Reference)).ToListAsync(cancellationToken);
        FollowUpMark? MarkOf(BinFollowUpKind kind, Guid reference) =>
            marks.FirstOrDefault(f => f.Kind == kind && f.Reference == reference) is { } f ? new FollowUpMark(f.By, f.At, f.Note) : null;

        return new BinReconciliation(
            depositCount, depositCount - unmatchedRows.Count, unmatchedRows.Count, handedBack,
            await withOld.CountAsync(cancellationToken),
            await pickups.CountAsync(r => r.Factor == PickupFactor.BirthDate, cancellationToken),
            missingRows.Select(r => new MissingDeposit(r.RequestId, r.At, string.Join(", ", r.Compartments), r.DocumentIds,
                r.DocumentIds.Where(numbers.ContainsKey).Select(id => numbers[id]).ToList(), MarkOf(BinFollowUpKind.PickupWithoutDeposit, r.RequestId))).ToList(),
            unmatchedRows.Select(d => new UnmatchedDeposit(d.EventId, d.At, d.ReceivedAt, MarkOf(BinFollowUpKind.UnmatchedDeposit, d.EventId))).ToList());
    }

    /// <summary>
    /// Marks a reconciliation line as followed up (who, when, what was found; audited). A second mark replaces nothing:
    /// the first one found stays, later ones are refused.
    /// </summary>
    public async Task<Refusal?> MarkFollowedUpAsync(
        Guid boxId, BinFollowUpKind kind, Guid reference, string note, string actor, CancellationToken cancellationToken = default)
    {
        note = (note ?? "").Trim();
        if (note.Length is 0 or > BinFollowUp.NoteMaxLength)
        {
            return new Refusal(RefusalCode.FollowUpNoteRequired, BinFollowUp.NoteMaxLength);
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var exists = kind switch
        {
            BinFollowUpKind.PickupWithoutDeposit => await db.PickupRequests.AnyAsync(
                r => r.BoxId == boxId && r.RequestId == reference && r.Granted && r.Factor == PickupFactor.OldDocument, cancellationToken),
            BinFollowUpKind.UnmatchedDeposit => await db.OldDocumentDeposits.AnyAsync(
                d => d.BoxId == boxId && d.EventId == reference && d.Disposition == OldDocumentDisposition.Deposited, cancellationToken),
            _ => false,
        };
        if (!exists)
        {
            return new Refusal(RefusalCode.EntryNotFound);
        }
        if (await db.BinFollowUps.AnyAsync(f => f.BoxId == boxId && f.Kind == kind && f.Reference == reference, cancellationToken))
        {
            return new Refusal(RefusalCode.AlreadyFollowedUp);
        }
        var code = await db.Boxes.Where(b => b.Id == boxId).Select(b => b.Code).FirstAsync(cancellationToken);
        db.BinFollowUps.Add(new BinFollowUp
        {
            BoxId = boxId,
            Kind = kind,
            Reference = reference,
            By = actor,
            At = timeProvider.GetUtcNow(),
            Note = note,
        });
        audit.Record(db, actor, "bin.followed_up", $"box:{code}", "ok", $"{kind} {reference}: {note}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new Refusal(RefusalCode.AlreadyFollowedUp);
        }
        return null;
    }

    private static Task<BinEmptying?> LastEmptyingAsync(IApplicationDbContext db, Guid boxId, CancellationToken cancellationToken) =>
        db.BinEmptyings.AsNoTracking().Where(e => e.BoxId == boxId).OrderByDescending(e => e.EmptiedAt).FirstOrDefaultAsync(cancellationToken);
}
