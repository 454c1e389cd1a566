using BackOffice.Application.Common;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Documents;

namespace BackOffice.Application.Documents;

/// <summary>
/// Who belongs together in one compartment. A household is everyone registered with the same mobile number (compared by
/// its keyed hash, so "0170 …" from the form and "+49170…" from the API are one household), unless a clerk joined a
/// document to another's household on purpose. One compartment holds one household: its documents get one SMS and one
/// PIN, and one pickup hands them all over.
/// </summary>
public static class Households
{
    /// <summary>
    /// The household a document belongs to; a document without a number (erased) is a household of its own. A document
    /// with an authorised person belongs to the household of the number its PIN goes to (that person's).
    /// </summary>
    public static string KeyOf(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.HouseholdId ?? document.AuthorizedMobileNumberHash ?? document.MobileNumberHash ?? $"document:{document.Id}";
    }

    public static bool AreOne(IEnumerable<Document> documents) =>
        documents.Select(KeyOf).Distinct(StringComparer.Ordinal).Take(2).Count() <= 1;

    /// <summary>
    /// The refusal when <paramref name="other"/> would join a loading of another household; its text says what to do
    /// instead: a second compartment, or (if they really belong together) joining the households with a reason.
    /// </summary>
    public static Refusal MixedRefusal(Document other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new Refusal(RefusalCode.OtherHousehold, other.DocumentNumber, other.HolderName);
    }

    /// <summary>
    /// The documents in the order the clerk scanned them into their loading (the SMS lists them so), then by number.
    /// </summary>
    public static List<Document> InLoadOrder(IEnumerable<Document> documents, IReadOnlyList<Guid>? loadOrder)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var position = (loadOrder ?? []).Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return documents
            .OrderBy(d => position.GetValueOrDefault(d.Id, int.MaxValue))
            .ThenBy(d => d.DocumentNumber, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Who gets a compartment's SMS: each number a PIN goes to (the authorised person's where there is one, else the
    /// holder's), once, with the document its message is filed under and whether that person is an authorised one.
    /// </summary>
    public static IEnumerable<PinRecipient> PinRecipients(IEnumerable<Document> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return documents.GroupBy(d => d.PinRecipient, StringComparer.Ordinal)
            .Select(g => new PinRecipient(g.Key, g.First(), g.Any(d => d.AuthorizedMobileNumber == g.Key)));
    }

    /// <summary>How the SMS names a document: its type and the holder's first name ("Reisepass Max").</summary>
    public static SmsDocument ForSms(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new SmsDocument(DocumentTypes.GermanNames[document.Type], FirstName(document.HolderName));
    }

    /// <summary>"Mustermann, Erika" and "Erika Mustermann" both give "Erika".</summary>
    public static string FirstName(string holderName)
    {
        var name = (holderName ?? "").Trim();
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            name = name[(comma + 1)..].Trim();
        }
        var space = name.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? name[..space] : name;
    }
}

/// <summary>One number a compartment's PIN SMS goes to (see <see cref="Households.PinRecipients"/>).</summary>
public sealed record PinRecipient(string MobileNumber, Document FiledUnder, bool Authorized);
