using System.Text.Encodings.Web;
using System.Text.Json;
using BackOffice.Application.Common;
using BackOffice.Application.Reports;

namespace BackOffice.Application.Privacy;

/// <summary>
/// The two files of an Art. 15 export: a German PDF a citizen can read (drawn by the office's report renderer), and the
/// same data as machine-readable JSON (Art. 15 (3) with Art. 20) with German keys, office-time stamps with their UTC
/// offset and the umlauts as they are.
/// </summary>
public static class PersonalDataFiles
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        // Only what JSON itself requires is escaped: umlauts, ß and the "+" of a phone number stay as they are. Safe here
        // because the file is a download, never embedded in a page.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>File name without extension; it names the day, never the document number.</summary>
    public static string FileName(PersonalDataExportResult export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return $"Auskunft_Art15_{ReportFormatting.LocalDate(export.CreatedAt, OfficeClock.OfficeTimeZone):yyyy-MM-dd}";
    }

    public static Report ToReport(PersonalDataExportResult export, int retentionDays)
    {
        ArgumentNullException.ThrowIfNull(export);
        var blocks = new List<ReportBlock>
        {
            new ReportNote("Sie haben Auskunft über die Daten verlangt, die die Stadt für die Ausgabe Ihres Dokuments über die Ausgabebox "
                + "gespeichert hat (Art. 15 DSGVO). Zweck der Verarbeitung ist die Benachrichtigung per SMS und die sichere Ausgabe an Sie. "
                + $"Name, Geburtsdatum, Mobilnummer und Dokumentnummern werden {retentionDays} Tage nach der Abholung oder der Rückgabe an den "
                + "Schalter gelöscht. Die PIN wird nicht gespeichert; der Text einer versendeten SMS wird nicht aufbewahrt."),
        };
        foreach (var document in export.Documents)
        {
            blocks.Add(new ReportFacts($"{document.Type} {document.DocumentNumber}",
            [
                new("Dokumentart", document.Type),
                new("Dokumentnummer", document.DocumentNumber),
                new("Name", Text(document.HolderName)),
                new("Geburtsdatum", ReportFormatting.Date(document.DateOfBirth)),
                new("Mobilnummer", Text(document.MobileNumber)),
                new("Frühere Dokumentnummern", document.OldDocumentNumbers.Count == 0 ? "–" : string.Join(", ", document.OldDocumentNumbers)),
                new("Antragsnummer", Text(document.ApplicationReference)),
                new("Ausgabebox", document.Box),
                new("Status", document.State),
                new("Erfasst am", ReportFormatting.Instant(document.RegisteredAt)),
                new("Abholbereit seit", ReportFormatting.Instant(document.ReadyAt)),
                new("Abholfrist", ReportFormatting.Date(document.PickupDeadline)),
                new("Abgeholt am", ReportFormatting.Instant(document.PickedUpAt)),
                new("Zurück am Schalter seit", ReportFormatting.Instant(document.ReturnedToCounterAt)),
                new("Personendaten gelöscht am", ReportFormatting.Instant(document.PersonalDataErasedAt)),
            ]));
            if (document.Authorization is { } authorization)
            {
                blocks.Add(new ReportFacts("Bevollmächtigte Person (Vollmacht)",
                [
                    new("Name", Text(authorization.Name)),
                    new("Geburtsdatum", ReportFormatting.Date(authorization.DateOfBirth)),
                    new("Mobilnummer", Text(authorization.MobileNumber)),
                    new("Nachweis", authorization.Proof),
                    new("Erfasst am", ReportFormatting.Instant(authorization.RecordedAt)),
                ]));
            }
            blocks.Add(new ReportTable("Verlauf",
                [new("Zeitpunkt", 1.6), new("Ereignis", 2.0), new("Status", 1.6), new("Fach", 0.8), new("Durch", 2.0), new("Hinweis", 3.0)],
                document.Timeline.Select(e => new[] { ReportFormatting.Instant(e.At), e.Event, e.State, e.Compartment ?? "", e.Actor, e.Note }).ToList(),
                "Keine Einträge."));
            blocks.Add(new ReportTable("SMS an Sie",
                [new("Erstellt am", 1.6), new("Anlass", 2.6), new("Status", 2.0), new("Versendet am", 1.6)],
                document.Messages.Select(m => new[] { ReportFormatting.Instant(m.CreatedAt), m.Purpose, m.Status, ReportFormatting.Instant(m.SentAt) }).ToList(),
                "Keine SMS."));
        }
        // The report model asks for a kind; the Vorgangsauszug is the nearest (one person's documents with personal data).
        return new Report(ReportKind.DocumentHistory, "Auskunft nach Art. 15 DSGVO",
            export.Documents.Count == 1 ? "1 Dokument" : $"{export.Documents.Count} Dokumente",
            $"Stand {ReportFormatting.Instant(export.CreatedAt)}", export.CreatedAt, export.CreatedBy, blocks, FileName(export));
    }

    public static byte[] ToJson(PersonalDataExportResult export)
    {
        ArgumentNullException.ThrowIfNull(export);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("auskunft", "Auskunft nach Art. 15 DSGVO");
            json.WriteString("erstelltAm", OfficeClock.ToOfficeTime(export.CreatedAt));
            json.WriteString("erstelltVon", export.CreatedBy);
            json.WriteStartArray("dokumente");
            foreach (var d in export.Documents)
            {
                json.WriteStartObject();
                json.WriteString("dokumentart", d.Type);
                json.WriteString("dokumentnummer", d.DocumentNumber);
                OptionalText(json, "name", d.HolderName);
                Date(json, "geburtsdatum", d.DateOfBirth);
                OptionalText(json, "mobilnummer", d.MobileNumber);
                json.WriteStartArray("fruehereDokumentnummern");
                foreach (var old in d.OldDocumentNumbers)
                {
                    json.WriteStringValue(old);
                }
                json.WriteEndArray();
                OptionalText(json, "antragsnummer", d.ApplicationReference);
                json.WriteString("ausgabebox", d.Box);
                json.WriteString("status", d.State);
                Instant(json, "erfasstAm", d.RegisteredAt);
                Instant(json, "abholbereitSeit", d.ReadyAt);
                Date(json, "abholfrist", d.PickupDeadline);
                Instant(json, "abgeholtAm", d.PickedUpAt);
                Instant(json, "zurueckAmSchalterSeit", d.ReturnedToCounterAt);
                Instant(json, "personendatenGeloeschtAm", d.PersonalDataErasedAt);
                if (d.Authorization is { } authorization)
                {
                    json.WriteStartObject("vollmacht");
                    OptionalText(json, "name", authorization.Name);
                    Date(json, "geburtsdatum", authorization.DateOfBirth);
                    OptionalText(json, "mobilnummer", authorization.MobileNumber);
                    json.WriteString("nachweis", authorization.Proof);
                    Instant(json, "erfasstAm", authorization.RecordedAt);
                    json.WriteEndObject();
                }
                json.WriteStartArray("verlauf");
                foreach (var e in d.Timeline)
                {
                    json.WriteStartObject();
                    Instant(json, "zeitpunkt", e.At);
                    json.WriteString("ereignis", e.Event);
                    json.WriteString("status", e.State);
                    OptionalText(json, "fach", e.Compartment);
                    json.WriteString("durch", e.Actor);
                    OptionalText(json, "hinweis", e.Note);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("sms");
                foreach (var m in d.Messages)
                {
                    json.WriteStartObject();
                    Instant(json, "erstelltAm", m.CreatedAt);
                    json.WriteString("anlass", m.Purpose);
                    json.WriteString("status", m.Status);
                    Instant(json, "versendetAm", m.SentAt);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Text(string? value) => string.IsNullOrEmpty(value) ? "–" : value;

    private static void OptionalText(Utf8JsonWriter json, string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Instant(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } instant)
        {
            json.WriteString(name, OfficeClock.ToOfficeTime(instant));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Date(Utf8JsonWriter json, string name, DateOnly? value)
    {
        if (value is { } day)
        {
            json.WriteString(name, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
