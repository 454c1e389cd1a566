using System.Globalization;
using BackOffice.Domain.Documents;

namespace BackOffice.Application.Documents;

/// <summary>A document as it arrives from any way in (form, CSV row, API), as text, before validation.</summary>
public sealed class DocumentDraft
{
    public string? Type { get; set; }
    public string? DocumentNumber { get; set; }
    public string? HolderName { get; set; }

    /// <summary>dd.MM.yyyy (form, CSV) or yyyy-MM-dd (API).</summary>
    public string? DateOfBirth { get; set; }
    public string? MobileNumber { get; set; }
    public List<string>? OldDocumentNumbers { get; set; }
    public string? ApplicationReference { get; set; }
    public string? BoxCode { get; set; }
    public bool NeedsAccessibleCompartment { get; set; }

    /// <summary>
    /// Optional: a person the holder authorised to collect it (for a minor, e.g. a parent), sent with the application.
    /// The PIN then goes to that person's number; at the box they give their own birth date.
    /// </summary>
    public Pickup.AuthorizedPersonDraft? AuthorizedPerson { get; set; }
}

/// <summary>Document types by every name the ways in use: the enum name (API) and the German name (CSV, form).</summary>
public static class DocumentTypes
{
    public static IReadOnlyDictionary<DocumentType, string> GermanNames { get; } = new Dictionary<DocumentType, string>
    {
        [DocumentType.Passport] = "Reisepass",
        [DocumentType.IdCard] = "Personalausweis",
        [DocumentType.ChildPassport] = "Kinderreisepass",
        [DocumentType.ResidencePermit] = "elektronischer Aufenthaltstitel",
    };

    public static DocumentType? Parse(string? value)
    {
        var text = (value ?? "").Trim();
        if (Enum.TryParse<DocumentType>(text, ignoreCase: true, out var type) && Enum.IsDefined(type) && !int.TryParse(text, out _))
        {
            return type;
        }
        foreach (var (candidate, name) in GermanNames)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)
                || (candidate == DocumentType.ResidencePermit && string.Equals(text, "eAT", StringComparison.OrdinalIgnoreCase)))
            {
                return candidate;
            }
        }
        return null;
    }

    public static DateOnly? ParseDate(string? value)
    {
        var text = (value ?? "").Trim();
        return DateOnly.TryParseExact(text, ["dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
    }
}
