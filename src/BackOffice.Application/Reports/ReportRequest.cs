using System.Globalization;

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

    /// <summary>Reads the query parameters of a download URL; returns a German message for the user when one is unusable.</summary>
    public static (ReportRequest? Request, string? Error) Parse(ReportKind kind, string? box, string? from, string? to, string? document)
    {
        DateOnly? fromDate = null, toDate = null;
        Guid? documentId = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!TryParseDate(from, out var value))
            {
                return (null, $"Das Datum „{Shorten(from)}“ (von) ist ungültig; erwartet wird JJJJ-MM-TT.");
            }
            fromDate = value;
        }
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!TryParseDate(to, out var value))
            {
                return (null, $"Das Datum „{Shorten(to)}“ (bis) ist ungültig; erwartet wird JJJJ-MM-TT.");
            }
            toDate = value;
        }
        if (!string.IsNullOrWhiteSpace(document))
        {
            if (!Guid.TryParse(document, out var value))
            {
                return (null, "Die Dokumentangabe ist ungültig.");
            }
            documentId = value;
        }
        var request = new ReportRequest(kind, string.IsNullOrWhiteSpace(box) ? null : box.Trim(), fromDate, toDate, documentId);
        return request.Validate() is { } error ? (null, error) : (request, null);
    }

    /// <summary>Whether everything the report needs is there and makes sense; a German message if not.</summary>
    public string? Validate()
    {
        var definition = Definition;
        if (definition.NeedsBox && string.IsNullOrWhiteSpace(BoxCode))
        {
            return "Bitte eine Box angeben.";
        }
        if (definition.NeedsPeriod)
        {
            if (From is null || To is null)
            {
                return "Bitte einen Zeitraum angeben (von und bis).";
            }
            if (From > To)
            {
                return "Der Zeitraum ist ungültig: „von“ liegt nach „bis“.";
            }
            if (To.Value.DayNumber - From.Value.DayNumber + 1 > ReportCatalog.MaxPeriodDays)
            {
                return $"Der Zeitraum ist zu lang: höchstens {ReportCatalog.MaxPeriodDays} Tage.";
            }
        }
        if (definition.NeedsDocument && DocumentId is null)
        {
            return "Bitte ein Dokument angeben.";
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
