using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Reports;

/// <summary>
/// Vorgangsauszug: one document's facts and its whole timeline, for a citizen's enquiry or an auditor. The one report
/// that prints personal data (name, birth date, full document number; an authorised person's name and birth date, and
/// who collected it); the mobile numbers stay masked, the PIN never
/// existed outside the SMS. Every print is audited with the document as its subject.
/// </summary>
internal sealed class DocumentHistoryReport : IReportBuilder
{
    public ReportKind Kind => ReportKind.DocumentHistory;

    public async Task<ReportContent?> BuildAsync(ReportScope scope, CancellationToken cancellationToken)
    {
        var id = scope.Request.DocumentId!.Value;
        var document = await scope.Db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (document is null)
        {
            return null;
        }
        var box = await scope.Db.Boxes.AsNoTracking().Where(b => b.Id == document.BoxId)
            .Select(b => new { b.Code, b.Name }).FirstAsync(cancellationToken);
        var compartment = document.CompartmentId is { } compartmentId
            ? await scope.Db.Compartments.Where(c => c.Id == compartmentId).Select(c => c.Label).FirstOrDefaultAsync(cancellationToken)
            : null;
        var events = await scope.Db.DocumentEvents.AsNoTracking()
            .Where(e => e.DocumentId == id)
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);

        var typeName = DocumentTypes.GermanNames[document.Type];
        var facts = new List<ReportFact>
        {
            new("Dokumentart", typeName),
            new("Dokumentnummer", document.DocumentNumber),
            new("Inhaber/in", document.HolderName),
            new("Geburtsdatum", ReportFormatting.Date(document.DateOfBirth)),
            new("Mobilnummer", PhoneNumbers.Mask(document.MobileNumber)),
            new("Antragsnummer", document.ApplicationReference),
            new("Ausgabebox", $"{box.Code} – {box.Name}"),
            new("Fach", compartment ?? "–"),
            new("Status", ReportNames.DocumentStates[document.State]),
            new("Erfasst am", ReportFormatting.Instant(document.RegisteredAt)),
            new("Abholbereit seit", ReportFormatting.Instant(document.ReadyAt)),
            new("Abholfrist", ReportFormatting.Date(document.PickupDeadline)),
            new("Abgeholt am", ReportFormatting.Instant(document.PickedUpAt)),
        };
        if (document.PickedUpAt is not null)
        {
            facts.Add(new("Abgeholt durch", !document.PickedUpByAuthorizedPerson ? "Inhaber/in"
                : document.AuthorizedName is { } collector ? $"bevollmächtigte Person: {collector}"
                : "bevollmächtigte Person (Daten gelöscht)"));
        }
        if (document.AuthorizedName is { } authorized)
        {
            facts.Add(new("Bevollmächtigte Person", $"{authorized}, geb. {ReportFormatting.Date(document.AuthorizedDateOfBirth)}, " +
                $"Mobilnummer {PhoneNumbers.Mask(document.AuthorizedMobileNumber ?? "")}"));
        }
        if (document.AuthorizationProof is { } proof)
        {
            facts.Add(new("Vollmacht", $"{Pickup.AuthorizationProofs.GermanNames[proof]}" +
                (document.AuthorizedAt is { } since ? $", erfasst am {ReportFormatting.Instant(since)}" : "")));
        }
        if (document.DeadlineExtensions > 0)
        {
            facts.Add(new("Abholfrist verlängert", $"{ReportFormatting.Number(document.DeadlineExtensions)}-mal"));
        }
        if (document.ReminderSentAt is { } reminded)
        {
            facts.Add(new("Erinnerung per SMS am", ReportFormatting.Instant(reminded)));
        }
        if (document.ReturnedToCounterAt is { } returned)
        {
            facts.Add(new("Zurück am Schalter seit", ReportFormatting.Instant(returned)));
        }
        if (document.BlockedReason is { } blocked)
        {
            facts.Add(new("Gesperrt", blocked));
        }
        if (document.PickupLockedAt is { } locked)
        {
            facts.Add(new("Sperre nach Fehlversuchen seit", ReportFormatting.Instant(locked)));
        }

        var timeline = events.Select(e => new[]
        {
            ReportFormatting.Instant(e.At),
            ReportNames.DocumentStates[e.State],
            e.Note,
            e.CompartmentLabel ?? "",
            scope.ActorWithWitness(e.Actor, e.ConfirmedBy),
        }).ToList();
        return new ReportContent(
        [
            new ReportNote("Enthält personenbezogene Daten. Nur für den dienstlichen Gebrauch; Weitergabe nur an die betroffene Person oder berechtigte Stellen."),
            new ReportFacts("Dokument", facts),
            new ReportTable("Verlauf", [new("Zeitpunkt", 1.7), new("Status", 1.5), new("Ereignis", 4.2), new("Fach", 0.8), new("Durch", 2.2)], timeline,
                "Keine Ereignisse."),
            new ReportFacts("Summen", [new("Ereignisse", ReportFormatting.Number(timeline.Count))], IsTotals: true),
        ],
            Subject: $"{typeName} {document.DocumentNumber} ({box.Code})",
            FileNameSuffix: document.DocumentNumber[^4..]);
    }
}
