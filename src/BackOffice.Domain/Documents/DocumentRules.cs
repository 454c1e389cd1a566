using System.Text.RegularExpressions;

namespace BackOffice.Domain.Documents;

/// <summary>The validation every way in (form, CSV, API) shares: one place, one set of German messages.</summary>
public static partial class DocumentRules
{
    /// <summary>The German document alphabet: digits and the consonants that cannot be mistaken for digits.</summary>
    public const string DocumentAlphabet = "0123456789CFGHJKLMNPRTVWXYZ";

    public static string NormalizeDocumentNumber(string? value) => (value ?? "").Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static bool IsValidDocumentNumber(string normalized) =>
        normalized.Length == 9 && normalized.All(c => DocumentAlphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>
    /// E.164 for what people type: "0170 1234567", "+49 (170) 123-4567", "0049170…" become "+491701234567".
    /// German numbers must be mobile numbers (015x, 016x, 017x): an SMS to a landline never arrives.
    /// Returns null when the input is not a usable mobile number.
    /// </summary>
    public static string? NormalizeMobileNumber(string? value)
    {
        var compact = PhoneSeparators().Replace(value ?? "", "");
        if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            compact = "+" + compact[2..];
        }
        else if (compact.StartsWith('0'))
        {
            compact = "+49" + compact[1..];
        }
        if (!E164().IsMatch(compact))
        {
            return null;
        }
        if (compact.StartsWith("+49", StringComparison.Ordinal) && !GermanMobile().IsMatch(compact))
        {
            return null;
        }
        return compact;
    }

    /// <summary>Shows the last four characters of a document number: *****H3J4.</summary>
    public static string MaskDocumentNumber(string number) =>
        number.Length <= 4 ? number : new string('*', number.Length - 4) + number[^4..];

    [GeneratedRegex(@"[\s\-/().]")]
    private static partial Regex PhoneSeparators();

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^\+491[567][0-9]{7,10}$")]
    private static partial Regex GermanMobile();
}
