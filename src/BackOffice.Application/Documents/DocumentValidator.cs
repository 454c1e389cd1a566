using BackOffice.Application.Common;
using BackOffice.Domain.Documents;

namespace BackOffice.Application.Documents;

/// <summary>
/// Turns a draft into a document or into refusals per field. The same rules for the form, every CSV row and the API,
/// so a document is never accepted on one way and refused on another.
/// </summary>
public static class DocumentValidator
{
    private static readonly System.Buffers.SearchValues<char> MarkupCharacters = System.Buffers.SearchValues.Create("<>{}");

    /// <summary>The most old document numbers one document may name.</summary>
    public const int MaxOldDocumentNumbers = 5;

    public static (Document? Document, Dictionary<string, Refusal> Errors) Validate(
        DocumentDraft draft, IReadOnlyDictionary<string, Guid> boxIdsByCode, DateOnly today)
    {
        var errors = new Dictionary<string, Refusal>();

        var type = DocumentTypes.Parse(draft.Type);
        if (type is null)
        {
            errors[nameof(DocumentDraft.Type)] = new Refusal(RefusalCode.UnknownDocumentType);
        }

        var number = DocumentRules.NormalizeDocumentNumber(draft.DocumentNumber);
        if (!DocumentRules.IsValidDocumentNumber(number))
        {
            errors[nameof(DocumentDraft.DocumentNumber)] = new Refusal(RefusalCode.DocumentNumberFormat);
        }

        var name = (draft.HolderName ?? "").Trim();
        if (name.Length is 0 or > Document.NameMaxLength || name.Any(char.IsControl))
        {
            errors[nameof(DocumentDraft.HolderName)] = new Refusal(RefusalCode.HolderNameRequired, Document.NameMaxLength);
        }
        else if (name.AsSpan().IndexOfAny(MarkupCharacters) >= 0)
        {
            // No name contains them; markup in a name is an attack or a broken export. (Pages show names as text anyway.)
            errors[nameof(DocumentDraft.HolderName)] = new Refusal(RefusalCode.HolderNameCharacters);
        }

        var birth = DocumentTypes.ParseDate(draft.DateOfBirth);
        if (birth is null || birth > today || birth < today.AddYears(-130))
        {
            errors[nameof(DocumentDraft.DateOfBirth)] = new Refusal(RefusalCode.DateOfBirthInvalid);
        }

        var mobile = DocumentRules.NormalizeMobileNumber(draft.MobileNumber);
        if (mobile is null)
        {
            errors[nameof(DocumentDraft.MobileNumber)] = new Refusal(RefusalCode.MobileNumberInvalid);
        }

        var oldNumbers = (draft.OldDocumentNumbers ?? [])
            .Select(DocumentRules.NormalizeDocumentNumber)
            .Where(n => n.Length > 0)
            .Distinct()
            .ToList();
        if (oldNumbers.Count > MaxOldDocumentNumbers || oldNumbers.Any(n => !DocumentRules.IsValidDocumentNumber(n)))
        {
            errors[nameof(DocumentDraft.OldDocumentNumbers)] = new Refusal(RefusalCode.OldDocumentNumbersFormat, MaxOldDocumentNumbers);
        }
        else if (oldNumbers.Contains(number))
        {
            errors[nameof(DocumentDraft.OldDocumentNumbers)] = new Refusal(RefusalCode.OldDocumentNumberIsNew);
        }

        var reference = (draft.ApplicationReference ?? "").Trim();
        if (reference.Length is 0 or > Document.ReferenceMaxLength || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '.' or '_'))
        {
            errors[nameof(DocumentDraft.ApplicationReference)] = new Refusal(RefusalCode.ApplicationReferenceFormat, Document.ReferenceMaxLength);
        }

        var boxCode = (draft.BoxCode ?? "").Trim().ToUpperInvariant();
        if (!boxIdsByCode.TryGetValue(boxCode, out var boxId))
        {
            errors[nameof(DocumentDraft.BoxCode)] = new Refusal(RefusalCode.UnknownBox, Truncate(draft.BoxCode));
        }

        Pickup.AuthorizedPerson? authorized = null;
        if (draft.AuthorizedPerson is { IsEmpty: false } person)
        {
            (authorized, var personErrors) = Pickup.AuthorizedPerson.Validate(person, today);
            foreach (var (field, refusal) in personErrors)
            {
                errors[nameof(DocumentDraft.AuthorizedPerson) + field] = refusal;
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (Document.Create(
            type!.Value, number, name, birth!.Value, mobile!, oldNumbers, reference, boxId, draft.NeedsAccessibleCompartment,
            authorized is null ? null : (authorized.Name, authorized.DateOfBirth, authorized.MobileNumber)), errors);
    }

    /// <summary>Echoes input in a message without letting a huge or hostile value through whole.</summary>
    private static string Truncate(string? value) =>
        value is null ? "" : value.Length <= 20 ? value : value[..20] + "…";

    /// <summary>Whether two records describe the same document (idempotent re-registration).</summary>
    public static bool SameDocument(Document a, Document b) =>
        a.DocumentNumber == b.DocumentNumber && a.Type == b.Type && a.BoxId == b.BoxId
        && a.HolderName == b.HolderName && a.DateOfBirth == b.DateOfBirth && a.MobileNumber == b.MobileNumber;
}
