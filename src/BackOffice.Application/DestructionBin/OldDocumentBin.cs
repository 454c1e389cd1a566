using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Pickup;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.DestructionBin;

/// <summary>The old-ID bin of one box now: fill level from the heartbeat, deposits since it was last emptied.</summary>
public sealed record BinStatus(
    Guid BoxId, string BoxCode, string BoxName, int? FillPercent, DateTimeOffset? FillReportedAt, int DepositsSinceEmptying,
    int UnmatchedSinceEmptying, BinEmptying? LastEmptying);

/// <summary>A picked-up document whose holder had an old ID on file but no deposit of it was matched.</summary>
public sealed record MissingDeposit(Guid DocumentId, string MaskedNumber, string? CompartmentLabel, DateTimeOffset PickedUpAt);

/// <summary>Deposits against pickups over a period: what the destruction slot received and what it should have.</summary>
public sealed record BinReconciliation(
    int Deposits, int MatchedDeposits, int UnmatchedDeposits, int PickupsWithOldDocument, int PickupsByBirthDate,
    IReadOnlyList<MissingDeposit> Missing);

/// <summary>What the form asks for when the bin is emptied.</summary>
public sealed record BinEmptyingInput(Guid BoxId, int CountedDocuments, string? Note, string WitnessUserName, string WitnessPassword);

/// <summary>
/// The old-ID bin (destruction slot): counts deposits, records emptyings with two staff members (four-eyes: the second
/// confirms with their own password) and reconciles deposits with pickups. Emptyings feed the destruction log.
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
            var deposits = db.OldDocumentDeposits.Where(d => d.BoxId == box.Id && d.ReceivedAt > since);
            result.Add(new BinStatus(box.Id, box.Code, box.Name, box.ReturnBinFillPercent, box.LastHeartbeatAt,
                await deposits.CountAsync(cancellationToken), await deposits.CountAsync(d => d.DocumentId == null, cancellationToken), last));
        }
        return result;
    }

    /// <summary>Records an emptying; returns a German refusal, or null when it was recorded.</summary>
    public async Task<string?> RecordEmptyingAsync(BinEmptyingInput input, string recordedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (input.CountedDocuments is < 0 or > 100_000)
        {
            return "Bitte die gezählte Anzahl angeben (0 oder mehr).";
        }
        if (note?.Length > BinEmptying.NoteMaxLength)
        {
            return $"Die Bemerkung ist zu lang (höchstens {BinEmptying.NoteMaxLength} Zeichen).";
        }
        if (string.Equals(input.WitnessUserName?.Trim(), recordedBy, StringComparison.OrdinalIgnoreCase))
        {
            return "Die zweite Person muss jemand anderes sein (Vier-Augen-Prinzip).";
        }
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var box = await db.Boxes.AsNoTracking().FirstOrDefaultAsync(b => b.Id == input.BoxId, cancellationToken);
        if (box is null)
        {
            return "Diese Ausgabebox gibt es nicht.";
        }
        var now = timeProvider.GetUtcNow();
        var last = await LastEmptyingAsync(db, box.Id, cancellationToken);
        var since = last?.DepositsUntil ?? DateTimeOffset.MinValue;
        var reported = await db.OldDocumentDeposits.CountAsync(d => d.BoxId == box.Id && d.ReceivedAt > since && d.ReceivedAt <= now, cancellationToken);
        if (reported != input.CountedDocuments && note is null)
        {
            return $"Gezählt {input.CountedDocuments}, gemeldet {reported}: Bitte in der Bemerkung festhalten, was gefunden wurde.";
        }

        // The password is checked last, so a form with other mistakes costs the witness no failed attempt.
        var witness = await staff.VerifyAsync(input.WitnessUserName ?? "", input.WitnessPassword ?? "", cancellationToken);
        if (!witness.Verified)
        {
            audit.Record(db, AuditTrail.Staff(recordedBy), "bin.emptying.witness_refused", $"box:{box.Code}", "refused");
            await db.SaveChangesAsync(cancellationToken);
            return witness.Refusal;
        }
        if (string.Equals(witness.UserName, recordedBy, StringComparison.OrdinalIgnoreCase))
        {
            return "Die zweite Person muss jemand anderes sein (Vier-Augen-Prinzip).";
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
    /// Deposits against pickups in a period: every holder with an old ID on file should have dropped it into the slot.
    /// Lists the pickups without a matched deposit (to follow up) and counts deposits nobody could be matched to.
    /// </summary>
    public async Task<BinReconciliation> ReconcileAsync(Guid boxId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var deposits = db.OldDocumentDeposits.AsNoTracking().Where(d => d.BoxId == boxId && d.ReceivedAt >= from && d.ReceivedAt < to);
        var depositCount = await deposits.CountAsync(cancellationToken);
        var matched = await deposits.CountAsync(d => d.DocumentId != null, cancellationToken);
        var pickedUp = db.Documents.AsNoTracking()
            .Where(d => d.BoxId == boxId && d.State == DocumentState.PickedUp && d.PickedUpAt >= from && d.PickedUpAt < to);
        var withOld = pickedUp.Where(d => d.OldDocumentNumbers.Count > 0);
        var missing = await withOld
            .Where(d => !db.OldDocumentDeposits.Any(o => o.DocumentId == d.Id))
            .OrderBy(d => d.PickedUpAt)
            .Select(d => new
            {
                d.Id, d.DocumentNumber, d.PickedUpAt,
                Label = db.Compartments.Where(c => c.Id == d.CompartmentId).Select(c => c.Label).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return new BinReconciliation(
            depositCount, matched, depositCount - matched,
            await withOld.CountAsync(cancellationToken),
            await pickedUp.CountAsync(d => d.OldDocumentNumbers.Count == 0, cancellationToken),
            missing.Select(m => new MissingDeposit(m.Id, DocumentRules.MaskDocumentNumber(m.DocumentNumber), m.Label, m.PickedUpAt!.Value)).ToList());
    }

    private static Task<BinEmptying?> LastEmptyingAsync(IApplicationDbContext db, Guid boxId, CancellationToken cancellationToken) =>
        db.BinEmptyings.AsNoTracking().Where(e => e.BoxId == boxId).OrderByDescending(e => e.EmptiedAt).FirstOrDefaultAsync(cancellationToken);
}
