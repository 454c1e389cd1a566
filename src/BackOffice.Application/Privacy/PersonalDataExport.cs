using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Documents;
using BackOffice.Application.Pickup;
using BackOffice.Application.Reports;
using BackOffice.Domain.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Privacy;

/// <summary>One line of a document's history in an export: what happened, the state after it, who did it (a name).</summary>
public sealed record ExportedEvent(DateTimeOffset At, string Event, string State, string Actor, string? Compartment, string Note);

/// <summary>An SMS sent to the person (the text itself is not kept once sent): its occasion and status in words.</summary>
public sealed record ExportedMessage(DateTimeOffset CreatedAt, string Purpose, string Status, DateTimeOffset? SentAt);

/// <summary>The person the holder authorised to collect the document (Vollmacht), as recorded, and how it was checked.</summary>
public sealed record ExportedAuthorization(string Name, DateOnly? DateOfBirth, string MobileNumber, string Proof, DateTimeOffset? RecordedAt);

/// <summary>Everything the back office holds about one of the person's documents, in words a citizen reads.</summary>
public sealed record ExportedDocument(
    string Type, string DocumentNumber, string HolderName, DateOnly? DateOfBirth, string MobileNumber,
    IReadOnlyList<string> OldDocumentNumbers, string ApplicationReference, string Box, string State, DateTimeOffset RegisteredAt,
    DateTimeOffset? ReadyAt, DateOnly? PickupDeadline, DateTimeOffset? PickedUpAt, DateTimeOffset? ReturnedToCounterAt,
    DateTimeOffset? PersonalDataErasedAt, IReadOnlyList<ExportedEvent> Timeline, IReadOnlyList<ExportedMessage> Messages,
    ExportedAuthorization? Authorization = null);

/// <summary>A person's data on request (GDPR Art. 15); <see cref="CreatedBy"/> is the staff member's name.</summary>
public sealed record PersonalDataExportResult(DateTimeOffset CreatedAt, string CreatedBy, IReadOnlyList<ExportedDocument> Documents);

/// <summary>
/// Collects one person's data for a request under GDPR Art. 15: the document with the given number and the holder's
/// other documents (same name, birth date and mobile number), with their timelines and SMS, worded for the citizen
/// (German states, people's names, no internal codes or ids). Every export is audited.
/// </summary>
public sealed class PersonalDataExport(IApplicationDbContextFactory contextFactory, AuditTrail audit, IStaffNames staffNames, TimeProvider timeProvider)
{
    public async Task<PersonalDataExportResult?> ExportAsync(string documentNumber, string actor, CancellationToken cancellationToken = default)
    {
        var number = DocumentRules.NormalizeDocumentNumber(documentNumber);
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var found = number.Length == 0 ? null : await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.DocumentNumber == number, cancellationToken);
        if (found is null)
        {
            return null;
        }
        // Encrypted values never compare equal in SQL: candidates by the number's keyed hash, the person by name and birth date.
        var documents = (await db.Documents.AsNoTracking()
                .Where(d => d.Id == found.Id || (d.MobileNumberHash != null && d.MobileNumberHash == found.MobileNumberHash))
                .Join(db.Boxes, d => d.BoxId, b => b.Id, (d, b) => new { Document = d, Box = b.Code + " – " + b.Name })
                .OrderBy(x => x.Document.RegisteredAt)
                .ToListAsync(cancellationToken))
            .Where(x => x.Document.Id == found.Id
                || (x.Document.HolderName == found.HolderName && x.Document.DateOfBirth == found.DateOfBirth))
            .ToList();
        var ids = documents.Select(x => x.Document.Id).ToList();
        var events = (await db.DocumentEvents.AsNoTracking().Where(e => ids.Contains(e.DocumentId)).OrderBy(e => e.At).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken)).ToLookup(e => e.DocumentId);
        var messages = (await db.OutgoingSms.AsNoTracking().Where(m => m.DocumentId != null && ids.Contains(m.DocumentId.Value))
            .OrderBy(m => m.CreatedAt).ToListAsync(cancellationToken)).ToLookup(m => m.DocumentId!.Value);
        var names = await staffNames.DisplayNamesAsync(cancellationToken);

        var result = new PersonalDataExportResult(timeProvider.GetUtcNow(), ReportNames.Actor(actor, names), documents.Select(x =>
        {
            var d = x.Document;
            return new ExportedDocument(DocumentTypes.GermanNames[d.Type], d.DocumentNumber, d.HolderName,
                d.PersonalDataErasedAt is null ? d.DateOfBirth : null, d.MobileNumber, d.OldDocumentNumbers, d.ApplicationReference, x.Box,
                ReportNames.DocumentStates[d.State], d.RegisteredAt, d.ReadyAt, d.PickupDeadline, d.PickedUpAt, d.ReturnedToCounterAt,
                d.PersonalDataErasedAt,
                events[d.Id].Select(e => new ExportedEvent(e.At, ReportNames.EventKinds[e.Kind], ReportNames.DocumentStates[e.State],
                    ReportNames.Actor(e.Actor, names), e.CompartmentLabel, e.Note)).ToList(),
                messages[d.Id].Select(m => new ExportedMessage(m.CreatedAt, ReportNames.SmsPurposes[m.Purpose], ReportNames.SmsStatuses[m.Status],
                    m.SentAt)).ToList(),
                // The holder's document holds the authorised person's data too (erased with the holder's by the retention run).
                d.AuthorizedName is { } authorized
                    ? new ExportedAuthorization(authorized, d.AuthorizedDateOfBirth, d.AuthorizedMobileNumber ?? "",
                        d.AuthorizationProof is { } proof ? AuthorizationProofs.GermanNames[proof] : "–", d.AuthorizedAt)
                    : null);
        }).ToList());
        foreach (var id in ids)
        {
            audit.Record(db, actor, "privacy.export", AuditTrail.Document(id), "ok", "personal data exported on request (GDPR Art. 15)");
        }
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }
}
