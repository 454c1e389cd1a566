using BackOffice.Application.Audit;
using BackOffice.Application.Privacy;
using BackOffice.Application.Reports;
using BackOffice.Domain.Documents;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Privacy;

/// <summary>
/// The export of one person's data on request (GDPR Art. 15) from an admin-only endpoint (not through the circuit): a
/// form POST with an antiforgery token, so the document number travels in the body and never in a URL, a log line or the
/// browser history. Answers the German PDF or the JSON as a download; when nothing is found, or the number is no
/// document number, it sends the admin back to the Datenschutz page, which says so in German.
/// </summary>
internal static class PrivacyEndpoints
{
    public const string ExportPath = "/datenschutz/auskunft";

    /// <summary>The Datenschutz page's query parameter for the export's answer when there is no file (never the number).</summary>
    public const string ExportProblemParameter = "auskunft";

    public const string NotFound = "nicht-gefunden";

    public const string Invalid = "ungueltig";

    public static void MapPrivacyEndpoints(this WebApplication app) =>
        app.MapPost(ExportPath, async ([FromForm] string? number, [FromForm] string? format, HttpContext context, PersonalDataExport export,
                IEnumerable<IReportRenderer> renderers, IOptions<PrivacyOptions> settings, CancellationToken cancellationToken) =>
            {
                var normalized = DocumentRules.NormalizeDocumentNumber(number);
                if (!DocumentRules.IsValidDocumentNumber(normalized))
                {
                    return Back(Invalid);
                }
                var result = await export.ExportAsync(normalized, AuditTrail.Staff(context.User.Identity?.Name ?? "unknown"), cancellationToken);
                if (result is null)
                {
                    return Back(NotFound);
                }
                context.Response.Headers.CacheControl = "no-store";
                var name = PersonalDataFiles.FileName(result);
                if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
                {
                    return Results.File(PersonalDataFiles.ToJson(result), "application/json; charset=utf-8", name + ".json");
                }
                var pdf = renderers.Single(r => r.Format == ReportFileFormat.Pdf);
                using var buffer = new MemoryStream();
                pdf.Render(PersonalDataFiles.ToReport(result, settings.Value.RetentionDays), buffer);
                return Results.File(buffer.ToArray(), pdf.ContentType, name + pdf.Extension);
            })
            .RequireAuthorization(AuthorizationPolicies.Administration);

    // The browser follows with a GET of the page, which shows the message; the number stays out of the address.
    private static IResult Back(string problem) => Results.LocalRedirect($"/datenschutz?{ExportProblemParameter}={problem}");
}
