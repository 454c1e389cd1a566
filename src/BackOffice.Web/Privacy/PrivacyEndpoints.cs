using System.Text.Json;
using BackOffice.Application.Audit;
using BackOffice.Application.Privacy;
using BackOffice.Web.Security;

namespace BackOffice.Web.Privacy;

/// <summary>The export of one person's data on request, as a JSON file from an admin-only endpoint (not through the circuit).</summary>
internal static class PrivacyEndpoints
{
    public const string ExportPath = "/datenschutz/export";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void MapPrivacyEndpoints(this WebApplication app) =>
        app.MapGet(ExportPath, async (string? number, HttpContext context, PersonalDataExport export, CancellationToken cancellationToken) =>
            {
                if (string.IsNullOrWhiteSpace(number) || number.Length > 20)
                {
                    return Results.Problem(title: "Bitte eine Dokumentnummer angeben.", statusCode: StatusCodes.Status400BadRequest);
                }
                var result = await export.ExportAsync(number, AuditTrail.Staff(context.User.Identity?.Name ?? "unknown"), cancellationToken);
                if (result is null)
                {
                    return Results.Problem(title: "Zu dieser Dokumentnummer gibt es keine Daten.", statusCode: StatusCodes.Status404NotFound);
                }
                context.Response.Headers.CacheControl = "no-store";
                return Results.File(JsonSerializer.SerializeToUtf8Bytes(result, Json), "application/json",
                    $"auskunft-{result.CreatedAt:yyyyMMdd-HHmmss}.json");
            })
            .RequireAuthorization(AuthorizationPolicies.Administration);
}
