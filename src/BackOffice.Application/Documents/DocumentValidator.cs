using BackOffice.Domain.Documents;

namespace BackOffice.Application.Documents;

/// <summary>
/// Turns a draft into a document or into German messages per field. The same rules for the form, every CSV row and
/// the API, so a document is never accepted on one way and refused on another.
/// </summary>
public static class DocumentValidator
{
    private static readonly System.Buffers.SearchValues<char> MarkupCharacters = System.Buffers.SearchValues.Create("<>{}");

    public static (Document? Document, Dictionary<string, string> Errors) Validate(
        DocumentDraft draft, IReadOnlyDictionary<string, Guid> boxIdsByCode, DateOnly today)
    {
        var errors = new Dictionary<string, string>();

        var type = DocumentTypes.Parse(draft.Type);
        if (type is null)
        {
            errors[nameof(DocumentDraft.Type)] = "Unbekannte Dokumentart (Reisepass, Personalausweis, Kinderreisepass, elektronischer Aufenthaltstitel).";
        }

        var number = DocumentRules.NormalizeDocumentNumber(draft.DocumentNumber);
        if (!DocumentRules.IsValidDocumentNumber(number))
        {
            errors[nameof(DocumentDraft.DocumentNumber)] = "Die Dokumentnummer hat 9 Zeichen: Ziffern und C F G H J K L M N P R T V W X Y Z.";
        }

        var name = (draft.HolderName ?? "").Trim();
        if (name.Length is 0 or > Document.NameMaxLength || name.Any(char.IsControl))
        {
            errors[nameof(DocumentDraft.HolderName)] = $"Bitte den Namen angeben (höchstens {Document.NameMaxLength} Zeichen).";
        }
        else if (name.AsSpan().IndexOfAny(MarkupCharacters) >= 0)
        {
            // No name contains them; markup in a name is an attack or a broken export. (Pages show names as text anyway.)
            errors[nameof(DocumentDraft.HolderName)] = "Der Name enthält unzulässige Zeichen (< > { }).";
        }

        var birth = DocumentTypes.ParseDate(draft.DateOfBirth);
        if (birth is null || birth > today || birth < today.AddYears(-130))
        {
            errors[nameof(DocumentDraft.DateOfBirth)] = "Bitte ein gültiges Geburtsdatum angeben (TT.MM.JJJJ).";
        }

        var mobile = DocumentRules.NormalizeMobileNumber(draft.MobileNumber);
        if (mobile is null)
        {
            errors[nameof(DocumentDraft.MobileNumber)] = "Bitte eine Mobilnummer angeben, an die eine SMS gehen kann (z. B. 0170 1234567 oder +49 170 1234567).";
        }

        var oldNumbers = (draft.OldDocumentNumbers ?? [])
            .Select(DocumentRules.NormalizeDocumentNumber)
            .Where(n => n.Length > 0)
            .Distinct()
            .ToList();
        if (oldNumbers.Count > 5 || oldNumbers.Any(n => !DocumentRules.IsValidDocumentNumber(n)))
        {
            errors[nameof(DocumentDraft.OldDocumentNumbers)] = "Alte Dokumentnummern: je 9 Zeichen des Dokumentenalphabets, höchstens 5.";
        }
        else if (oldNumbers.Contains(number))
        {
            errors[nameof(DocumentDraft.OldDocumentNumbers)] = "Die neue Dokumentnummer kann nicht zugleich eine alte sein.";
        }

        var reference = (draft.ApplicationReference ?? "").Trim();
        if (reference.Length is 0 or > Document.ReferenceMaxLength || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '.' or '_'))
        {
            errors[nameof(DocumentDraft.ApplicationReference)] = $"Bitte die Antragsnummer angeben (Buchstaben, Ziffern, - / . _, höchstens {Document.ReferenceMaxLength} Zeichen).";
        }

        var boxCode = (draft.BoxCode ?? "").Trim().ToUpperInvariant();
        if (!boxIdsByCode.TryGetValue(boxCode, out var boxId))
        {
            errors[nameof(DocumentDraft.BoxCode)] = $"Unbekannte Ausgabebox '{Truncate(draft.BoxCode)}'.";
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (Document.Create(
            type!.Value, number, name, birth!.Value, mobile!, oldNumbers, reference, boxId, draft.NeedsAccessibleCompartment), errors);
    }

    /// <summary>Echoes input in a message without letting a huge or hostile value through whole.</summary>
    private static string Truncate(string? value) =>
        value is null ? "" : value.Length <= 20 ? value : value[..20] + "…";

    /// <summary>Whether two records describe the same document (idempotent re-registration).</summary>
    public static bool SameDocument(Document a, Document b) =>
        a.DocumentNumber == b.DocumentNumber && a.Type == b.Type && a.BoxId == b.BoxId
        && a.HolderName == b.HolderName && a.DateOfBirth == b.DateOfBirth && a.MobileNumber == b.MobileNumber;
}
