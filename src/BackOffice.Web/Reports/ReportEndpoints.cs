using System.Security.Claims;
using BackOffice.Application.Audit;
using BackOffice.Application.Reports;
using BackOffice.Infrastructure.Identity;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Reports;

/// <summary>
/// <c>GET /reports/{report}.pdf</c> and <c>.csv</c> with <c>box</c>, <c>from</c>, <c>to</c> (yyyy-MM-dd) or
/// <c>document</c>: the file as a download, outside the Blazor circuit. One endpoint per report, each with its own
/// authorization policy; bad parameters answer 400 with a German message (problem details, <c>title</c>).
/// </summary>
internal static class ReportEndpoints
{
    public const string Prefix = "/reports";

    public static string Url(ReportKind kind, ReportFileFormat format, ReportRequest request) =>
        $"{Prefix}/{ReportCatalog.Get(kind).Slug}.{Extension(format)}?{request.ToQueryString()}";

    public static void MapReportEndpoints(this WebApplication app)
    {
        foreach (var definition in ReportCatalog.All)
        {
            app.MapGet($"{Prefix}/{definition.Slug}.{{format}}",
                    (string format, string? box, string? from, string? to, string? document, HttpContext context, ReportService reports,
                        IStringLocalizer<SharedResource> localizer, CancellationToken cancellationToken) =>
                        DownloadAsync(definition.Kind, format, box, from, to, document, context, reports, localizer, cancellationToken))
                .RequireAuthorization(ReportAccess.PolicyFor(definition.Kind));
        }
    }

    private static async Task<IResult> DownloadAsync(
        ReportKind kind, string format, string? box, string? from, string? to, string? document, HttpContext context, ReportService reports,
        IStringLocalizer<SharedResource> localizer, CancellationToken cancellationToken)
    {
        ReportFileFormat? fileFormat = format switch
        {
            "pdf" => ReportFileFormat.Pdf,
            "csv" => ReportFileFormat.Csv,
            _ => null,
        };
        if (fileFormat is null)
        {
            return TypedResults.Problem(title: "Unbekanntes Format: möglich sind PDF und CSV.", statusCode: StatusCodes.Status404NotFound);
        }
        var (request, error) = ReportRequest.Parse(kind, box, from, to, document);
        if (request is null)
        {
            return BadRequest(localizer.Refusal(error!));
        }
        var user = context.User;
        var userName = user.Identity?.Name ?? "unknown";
        var requester = new ReportRequester(AuditTrail.Staff(userName), user.FindFirstValue(StaffClaims.DisplayName) ?? userName);
        var file = await reports.GenerateAsync(request, fileFormat.Value, requester, cancellationToken);
        if (file.Content is null)
        {
            return BadRequest(localizer.Refusal(file.Error!));
        }
        // Reports may carry personal data: never cached by the browser or a proxy.
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static IResult BadRequest(string message) => TypedResults.Problem(title: message, statusCode: StatusCodes.Status400BadRequest);

    private static string Extension(ReportFileFormat format) => format == ReportFileFormat.Pdf ? "pdf" : "csv";
}
