using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;

namespace BackOffice.Application.Pickup;

/// <summary>The person a holder authorised to collect a document, as typed (form) or sent (API, CSV), before validation.</summary>
public sealed class AuthorizedPersonDraft
{
    public string? Name { get; set; }

    /// <summary>dd.MM.yyyy (form, CSV) or yyyy-MM-dd (API).</summary>
    public string? DateOfBirth { get; set; }

    public string? MobileNumber { get; set; }

    /// <summary>Whether any field was given (an empty draft means "nobody authorised").</summary>
    public bool IsEmpty =>
        string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(DateOfBirth) && string.IsNullOrWhiteSpace(MobileNumber);
}

/// <summary>A validated authorised person: trimmed name, birth date, mobile number in E.164.</summary>
public sealed record AuthorizedPerson(string Name, DateOnly DateOfBirth, string MobileNumber)
{
    /// <summary>
    /// The same rules as for the holder (name, birth date, number), so an authorised person is never accepted on one way
    /// in and refused on another. The keys of the errors are the draft's property names.
    /// </summary>
    public static (AuthorizedPerson? Person, Dictionary<string, Refusal> Errors) Validate(AuthorizedPersonDraft draft, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new Dictionary<string, Refusal>();
        var name = (draft.Name ?? "").Trim();
        if (name.Length is 0 or > Document.NameMaxLength || name.Any(char.IsControl))
        {
            errors[nameof(AuthorizedPersonDraft.Name)] = new Refusal(RefusalCode.HolderNameRequired, Document.NameMaxLength);
        }
        else if (name.AsSpan().IndexOfAny(['<', '>', '{', '}']) >= 0)
        {
            errors[nameof(AuthorizedPersonDraft.Name)] = new Refusal(RefusalCode.HolderNameCharacters);
        }
        // An authorised person signs for themselves: of age (an adult parent or guardian), not older than anyone is.
        var birth = DocumentTypes.ParseDate(draft.DateOfBirth);
        if (birth is null || birth > today.AddYears(-18) || birth < today.AddYears(-130))
        {
            errors[nameof(AuthorizedPersonDraft.DateOfBirth)] = new Refusal(RefusalCode.AuthorizedDateOfBirthInvalid);
        }
        var mobile = DocumentRules.NormalizeMobileNumber(draft.MobileNumber);
        if (mobile is null)
        {
            errors[nameof(AuthorizedPersonDraft.MobileNumber)] = new Refusal(RefusalCode.MobileNumberInvalid);
        }
        return errors.Count > 0 ? (null, errors) : (new AuthorizedPerson(name, birth!.Value, mobile!), errors);
    }
}

/// <summary>How the timeline, printed reports and dialogs name an <see cref="AuthorizationProof"/>.</summary>
public static class AuthorizationProofs
{
    public static IReadOnlyDictionary<AuthorizationProof, string> GermanNames { get; } = new Dictionary<AuthorizationProof, string>
    {
        [AuthorizationProof.SignedAuthorizationWithIdCopy] = "schriftliche Vollmacht mit Ausweiskopie der Inhaberin/des Inhabers",
        [AuthorizationProof.SignedAuthorizationForm] = "unterschriebener Vollmachtsvordruck der Stadt",
        [AuthorizationProof.ParentalCustody] = "Sorgerecht für die minderjährige Person nachgewiesen",
        [AuthorizationProof.LegalGuardianship] = "Betreuerausweis (gerichtlich bestellte Betreuung)",
        [AuthorizationProof.RecordedWithApplication] = "bei der Antragstellung erfasst",
    };

    /// <summary>The proofs a clerk can pick at the counter (the last one only comes with the registration).</summary>
    public static IReadOnlyList<AuthorizationProof> AtCounter { get; } =
    [
        AuthorizationProof.SignedAuthorizationWithIdCopy,
        AuthorizationProof.SignedAuthorizationForm,
        AuthorizationProof.ParentalCustody,
        AuthorizationProof.LegalGuardianship,
    ];
}
