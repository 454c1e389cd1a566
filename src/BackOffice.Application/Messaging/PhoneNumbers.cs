using System.Text.RegularExpressions;
using BackOffice.Domain.Messaging;

namespace BackOffice.Application.Messaging;

/// <summary>Mobile numbers in E.164 (+4917012345678), and how they appear wherever people or logs read them.</summary>
public static partial class PhoneNumbers
{
    public static bool IsE164(string? number) =>
        number is { Length: <= OutgoingSms.RecipientMaxLength } && E164().IsMatch(number);

    /// <summary>Keeps the country and network prefix and the last digits: +4917012345678 → +49170*****678.</summary>
    public static string Mask(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.Length < 6)
        {
            return new string('*', number.Length);
        }
        // At least four digits stay hidden, whatever the length.
        var suffix = number.Length >= 12 ? 3 : 2;
        var prefix = Math.Clamp(number.Length - suffix - 4, 1, 6);
        return string.Concat(number.AsSpan(0, prefix), new string('*', number.Length - prefix - suffix), number.AsSpan(number.Length - suffix));
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
