using System.Globalization;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Domain.Documents;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Application.Documents;

/// <summary>The outcome of registering one document: its id, or the refusals by field.</summary>
public sealed record RegistrationResult(Guid? DocumentId, bool Created, IReadOnlyDictionary<string, Refusal> Errors)
{
    public bool Succeeded => DocumentId is not null;

    /// <summary>The application reference is taken by a different document.</summary>
    public bool Conflict { get; init; }
}

/// <summary>
/// One refused row of an import, by its line in the file, with every reason, and the Antragsnummer and name the row
/// gave (as written, even when invalid), so the clerk finds the case without opening the file.
/// </summary>
public sealed record ImportRowError(int Line, IReadOnlyList<Refusal> Reasons)
{
    public string ApplicationReference { get; init; } = "";

    public string HolderName { get; init; } = "";
}

/// <summary>What an import did: every row is either imported, already present, or listed with its reasons.</summary>
public sealed record ImportReport(int Rows, int Imported, int AlreadyPresent, IReadOnlyList<ImportRowError> Errors, Refusal? FileError)
{
    public static ImportReport Unreadable(Refusal reason) => new(0, 0, 0, [], reason);
}

/// <summary>
/// Registers finished documents: one from the counter form or the API, or many from the registration software's CSV export.
/// Idempotent on the application reference; a document number is never stored twice.
/// </summary>
/// <remarks>Singleton; every call uses its own database context.</remarks>
public sealed class DocumentRegistration(
    IApplicationDbContextFactory contextFactory, AuditTrail audit, TimeProvider timeProvider, IDatabaseErrors databaseErrors)
{
    public const int MaxImportBytes = 10 * 1024 * 1024;

    /// <summary>Rows per file: all of them are stored in one transaction.</summary>
    public const int MaxImportRows = 20_000;

    /// <summary>The columns of the registration software's export (semicolon separated, UTF-8, dates dd.MM.yyyy).</summary>
    /// <summary>Optional columns: the person authorised to collect the document (e.g. a parent for a minor).</summary>
    public const string BevollmaechtigtName = "BevollmaechtigtName";
    public const string BevollmaechtigtGeburtsdatum = "BevollmaechtigtGeburtsdatum";
    public const string BevollmaechtigtMobilnummer = "BevollmaechtigtMobilnummer";

    public static IReadOnlyList<string> CsvColumns { get; } =
        ["Antragsnummer", "Dokumentart", "Dokumentnummer", "Name", "Geburtsdatum", "Mobilnummer", "AlteDokumentnummern", "Ausgabebox", "Barrierefrei"];

    public async Task<RegistrationResult> RegisterAsync(DocumentDraft draft, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var boxes = await BoxIdsByCodeAsync(db, cancellationToken);
        var (document, errors) = DocumentValidator.Validate(draft, boxes, Today());
        if (document is null)
        {
            return new RegistrationResult(null, false, errors);
        }

        var existing = await ExistingAsync(db, document, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        Add(db, document, actor, "Eingang erfasst");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (databaseErrors.IsUniqueViolation(ex))
        {
            // The same document arrived twice at once (API retry): the other call stored it.
            await using var again = await contextFactory.CreateAsync(cancellationToken);
            return await ExistingAsync(again, document, cancellationToken)
                ?? throw new InvalidOperationException("Unique violation without a conflicting document.", ex);
        }
        return new RegistrationResult(document.Id, true, errors);
    }

    /// <summary>
    /// Imports a CSV export: valid rows are stored (all in one transaction), rows already present are counted, every bad
    /// row is reported with its line and reason. An unreadable file imports nothing.
    /// </summary>
    public async Task<ImportReport> ImportCsvAsync(Stream csv, string actor, CancellationToken cancellationToken = default)
    {
        List<(int Line, DocumentDraft Draft)> rows;
        try
        {
            rows = ReadCsv(new BoundedReadStream(csv, MaxImportBytes));
        }
        catch (Exception ex) when (ex is CsvHelperException or ImportFileRefused or System.Text.DecoderFallbackException)
        {
            return ImportReport.Unreadable(ex is ImportFileRefused refused ? refused.Refusal : new Refusal(RefusalCode.FileUnreadable));
        }

        await using var db = await contextFactory.CreateAsync(cancellationToken);
        var boxes = await BoxIdsByCodeAsync(db, cancellationToken);
        var today = Today();
        var errors = new List<ImportRowError>();
        var valid = new List<(int Line, Document Document)>();
        var drafts = rows.ToDictionary(r => r.Line, r => r.Draft);
        ImportRowError Refused(int line, IReadOnlyList<Refusal> reasons) => new(line, reasons)
        {
            ApplicationReference = (drafts[line].ApplicationReference ?? "").Trim(),
            HolderName = (drafts[line].HolderName ?? "").Trim(),
        };
        foreach (var (line, draft) in rows)
        {
            var (document, rowErrors) = DocumentValidator.Validate(draft, boxes, today);
            if (document is null)
            {
                errors.Add(Refused(line, rowErrors.Values.ToList()));
            }
            else
            {
                valid.Add((line, document));
            }
        }

        // Twice in the same file: the first one counts, later ones are reported.
        var seenReferences = new HashSet<string>();
        var seenNumbers = new HashSet<string>();
        var unique = new List<(int Line, Document Document)>();
        foreach (var row in valid)
        {
            // Non-short-circuit "|": both sets must learn the row, whichever of the two was seen before.
            if (!seenReferences.Add(row.Document.ApplicationReference) | !seenNumbers.Add(row.Document.DocumentNumber))
            {
                errors.Add(Refused(row.Line, [new Refusal(RefusalCode.DuplicateInFile)]));
                continue;
            }
            unique.Add(row);
        }

        var references = unique.Select(r => r.Document.ApplicationReference).ToList();
        var numbers = unique.Select(r => r.Document.DocumentNumber).ToList();
        var stored = await db.Documents.AsNoTracking()
            .Where(d => references.Contains(d.ApplicationReference) || numbers.Contains(d.DocumentNumber))
            .ToListAsync(cancellationToken);
        var alreadyPresent = 0;
        var imported = 0;
        foreach (var (line, document) in unique)
        {
            var match = stored.FirstOrDefault(d => d.ApplicationReference == document.ApplicationReference || d.DocumentNumber == document.DocumentNumber);
            if (match is null)
            {
                Add(db, document, actor, "Eingang erfasst (CSV-Import)");
                imported++;
            }
            else if (match.ApplicationReference == document.ApplicationReference && DocumentValidator.SameDocument(match, document))
            {
                alreadyPresent++;
            }
            else
            {
                errors.Add(Refused(line, [new Refusal(match.ApplicationReference == document.ApplicationReference
                    ? RefusalCode.ReferenceTaken
                    : RefusalCode.NumberTaken)]));
            }
        }
        audit.Record(db, actor, "documents.imported", "documents", errors.Count == 0 ? "ok" : "partial",
            $"{rows.Count} rows: {imported} imported, {alreadyPresent} already present, {errors.Count} refused");
        await db.SaveChangesAsync(cancellationToken);
        return new ImportReport(rows.Count, imported, alreadyPresent, errors.OrderBy(e => e.Line).ToList(), null);
    }

    private static List<(int Line, DocumentDraft Draft)> ReadCsv(Stream csv)
    {
        using var reader = new StreamReader(csv, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvReader(reader, new CsvConfiguration(CultureInfo.GetCultureInfo("de-DE"))
        {
            Delimiter = ";",
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            DetectColumnCountChanges = false,
        });
        if (!parser.Read() || !parser.ReadHeader())
        {
            throw new ImportFileRefused(new Refusal(RefusalCode.FileEmpty));
        }
        var header = parser.HeaderRecord ?? [];
        var missing = CsvColumns.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFileRefused(new Refusal(RefusalCode.FileHeaderMismatch, string.Join(", ", missing)));
        }
        var rows = new List<(int, DocumentDraft)>();
        while (parser.Read())
        {
            if (rows.Count == MaxImportRows)
            {
                throw new ImportFileRefused(new Refusal(RefusalCode.FileTooManyRows, MaxImportRows));
            }
            string Field(string name) => parser.GetField(Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase))) ?? "";
            string? OptionalField(string name) => header.Contains(name, StringComparer.OrdinalIgnoreCase) ? Field(name) : null;
            rows.Add((parser.Parser.RawRow, new DocumentDraft
            {
                ApplicationReference = Field("Antragsnummer"),
                Type = Field("Dokumentart"),
                DocumentNumber = Field("Dokumentnummer"),
                HolderName = Field("Name"),
                DateOfBirth = Field("Geburtsdatum"),
                MobileNumber = Field("Mobilnummer"),
                OldDocumentNumbers = Field("AlteDokumentnummern").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                BoxCode = Field("Ausgabebox"),
                NeedsAccessibleCompartment = Field("Barrierefrei").Trim().ToLowerInvariant() is "ja" or "j" or "1" or "true" or "x",
                // Optional columns: an export without them imports as before.
                AuthorizedPerson = new Pickup.AuthorizedPersonDraft
                {
                    Name = OptionalField(BevollmaechtigtName),
                    DateOfBirth = OptionalField(BevollmaechtigtGeburtsdatum),
                    MobileNumber = OptionalField(BevollmaechtigtMobilnummer),
                },
            }));
        }
        return rows;
    }

    private async Task<RegistrationResult?> ExistingAsync(IApplicationDbContext db, Document document, CancellationToken cancellationToken)
    {
        var existing = await db.Documents.AsNoTracking()
            .FirstOrDefaultAsync(d => d.ApplicationReference == document.ApplicationReference || d.DocumentNumber == document.DocumentNumber, cancellationToken);
        if (existing is null)
        {
            return null;
        }
        if (existing.ApplicationReference == document.ApplicationReference && DocumentValidator.SameDocument(existing, document))
        {
            return new RegistrationResult(existing.Id, false, new Dictionary<string, Refusal>());
        }
        return existing.ApplicationReference == document.ApplicationReference
            ? new RegistrationResult(null, false, new Dictionary<string, Refusal>
            {
                [nameof(DocumentDraft.ApplicationReference)] = new Refusal(RefusalCode.ReferenceTaken),
            }) { Conflict = true }
            : new RegistrationResult(null, false, new Dictionary<string, Refusal>
            {
                [nameof(DocumentDraft.DocumentNumber)] = new Refusal(RefusalCode.NumberTaken),
            }) { Conflict = true };
    }

    private void Add(IApplicationDbContext db, Document document, string actor, string note)
    {
        var registered = document.Register(Guid.NewGuid(), timeProvider.GetUtcNow(), actor, note);
        db.Documents.Add(document);
        AuditTrail.AddTimeline(db, registered);
        audit.Record(db, actor, "document.registered", $"document:{document.Id}", "ok",
            $"{document.Type}, {DocumentRules.MaskDocumentNumber(document.DocumentNumber)}");
        if (document.AuthorizedName is not null)
        {
            AuditTrail.AddTimeline(db, DocumentEvent.For(document, DocumentEventKind.AuthorizationRecorded, registered.At, actor,
                "Vollmacht mit dem Antrag erfasst: Die PIN geht beim Einlegen an die bevollmächtigte Person."));
            audit.Record(db, actor, "document.authorization_recorded", $"document:{document.Id}", "ok", $"proof: {document.AuthorizationProof}");
        }
    }

    private static Task<Dictionary<string, Guid>> BoxIdsByCodeAsync(IApplicationDbContext db, CancellationToken cancellationToken) =>
        db.Boxes.AsNoTracking().ToDictionaryAsync(b => b.Code, b => b.Id, cancellationToken);

    private DateOnly Today() => DateOnly.FromDateTime(OfficeClock.ToOfficeTime(timeProvider.GetUtcNow()).DateTime);
}
