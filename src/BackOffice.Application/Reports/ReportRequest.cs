using System.Globalization;
using BackOffice.Application.Common;

namespace BackOffice.Application.Reports;

/// <summary>
/// What the user asked for: a report, and the box (by code), period (<c>From</c> and <c>To</c>: box-local days, both
/// included) or document it needs.
/// </summary>
public sealed record ReportRequest(ReportKind Kind, string? BoxCode = null, DateOnly? From = null, DateOnly? To = null, Guid? DocumentId = null)
{
    /// <summary>How dates travel in download URLs.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    public ReportDefinition Definition => ReportCatalog.Get(Kind);

    /// <summary>Reads the query parameters of a download URL; returns why not when one is unusable.</summary>
    public static (ReportRequest? Request, Refusal? Error) Parse(ReportKind kind, string? box, string? from, string? to, string? document)
    {
        DateOnly? fromDate = null, toDate = null;
        Guid? documentId = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!TryParseDate(from, out var value))
            {
                return (null, new Refusal(RefusalCode.ReportFromInvalid, Shorten(from)));
            }
            fromDate = value;
        }
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!TryParseDate(to, out var value))
            {
                return (null, new Refusal(RefusalCode.ReportToInvalid, Shorten(to)));
            }
            toDate = value;
        }
        if (!string.IsNullOrWhiteSpace(document))
        {
            if (!Guid.TryParse(document, out var value))
            {
                return (null, new Refusal(RefusalCode.ReportDocumentInvalid));
            }
            documentId = value;
        }
        var request = new ReportRequest(kind, string.IsNullOrWhiteSpace(box) ? null : box.Trim(), fromDate, toDate, documentId);
        return request.Validate() is { } error ? (null, error) : (request, null);
    }

    /// <summary>Whether everything the report needs is there and makes sense; why not if not.</summary>
    public Refusal? Validate()
    {
        var definition = Definition;
        if (definition.NeedsBox && string.IsNullOrWhiteSpace(BoxCode))
        {
            return new Refusal(RefusalCode.ReportBoxRequired);
        }
        if (definition.NeedsPeriod)
        {
            if (From is null || To is null)
            {
                return new Refusal(RefusalCode.ReportPeriodRequired);
            }
            if (From > To)
            {
                return new Refusal(RefusalCode.ReportPeriodReversed);
            }
            if (To.Value.DayNumber - From.Value.DayNumber + 1 > ReportCatalog.MaxPeriodDays)
            {
                return new Refusal(RefusalCode.ReportPeriodTooLong, ReportCatalog.MaxPeriodDays);
            }
        }
        if (definition.NeedsDocument && DocumentId is null)
        {
            return new Refusal(RefusalCode.ReportDocumentRequired);
        }
        return null;
    }

    /// <summary>The query string of a download URL for this request (without the leading "?").</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        if (BoxCode is not null)
        {
            parts.Add($"box={Uri.EscapeDataString(BoxCode)}");
        }
        if (From is { } from)
        {
            parts.Add($"from={from.ToString(DateFormat, CultureInfo.InvariantCulture)}");
        }
        if (To is { } to)
        {
            parts.Add($"to={to.ToString(DateFormat, CultureInfo.InvariantCulture)}");
        }
        if (DocumentId is { } document)
        {
            parts.Add($"document={document}");
        }
        return string.Join('&', parts);
    }

    private static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
