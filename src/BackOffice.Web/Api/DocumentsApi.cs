using System.Text.Json;
using BackOffice.Application.Documents;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Authentication;

namespace BackOffice.Web.Api;

/// <summary>
/// <c>POST /api/v1/documents</c> for the registration software: the same validation as the counter form, answers in
/// RFC 7807 problem details, idempotent on the application reference (a repeated call answers 200 with the same id).
/// </summary>
internal static class DocumentsApi
{
    public const string Path = "/api/v1/documents";
    private const int MaxBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddDocumentsApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName));
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        return builder;
    }

    public static void MapDocumentsApi(this WebApplication app)
    {
        app.MapPost(Path, RegisterAsync)
            .RequireAuthorization(AuthorizationPolicies.RegistrationApi)
            .DisableAntiforgery();
    }

    private static async Task<IResult> RegisterAsync(HttpRequest request, DocumentRegistration registration, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return TypedResults.Problem(title: "Die Anfrage ist zu groß.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(title: "Erwartet wird application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        DocumentDraft? draft;
        try
        {
            draft = await JsonSerializer.DeserializeAsync<DocumentDraft>(request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException ex)
        {
            return TypedResults.Problem(title: "Ungültiges JSON.", detail: ex.Path is null ? null : $"Fehler bei {ex.Path}.",
                statusCode: StatusCodes.Status400BadRequest);
        }
        if (draft is null)
        {
            return TypedResults.Problem(title: "Leere Anfrage.", statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await registration.RegisterAsync(draft, "api:registration", cancellationToken);
        if (result.Conflict)
        {
            return TypedResults.Problem(title: "Widerspruch zu einem bereits erfassten Dokument.", detail: string.Join(" ", result.Errors.Values),
                statusCode: StatusCodes.Status409Conflict);
        }
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(
                result.Errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => new[] { e.Value }),
                title: "Die Angaben sind nicht gültig.");
        }
        var body = new { id = result.DocumentId, state = "Arrived" };
        return result.Created ? TypedResults.Created($"{Path}/{result.DocumentId}", body) : TypedResults.Ok(body);
    }
}
