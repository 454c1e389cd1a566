using System.Globalization;
using System.Text.Json;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Documents;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Api;

/// <summary>
/// <c>POST /api/v1/documents</c> for the registration software: the same validation as the counter form, answers in
/// RFC 7807 problem details, idempotent on the application reference (a repeated call answers 200 with the same id).
/// </summary>
internal static partial class DocumentsApi
{
    public const string Path = "/api/v1/documents";
    private const int MaxBodyBytes = 64 * 1024;

    // A restart or a switch to the standby takes seconds; the registration software waits this long, then sends again.
    private const int RetryAfterSeconds = 5;

    public static WebApplicationBuilder AddDocumentsApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddRegistrationApiDocument();
        return builder;
    }

    public static void MapDocumentsApi(this WebApplication app)
    {
        app.MapPost(Path, RegisterAsync)
            .RequireAuthorization(AuthorizationPolicies.RegistrationApi)
            .RequireRateLimiting(RateLimits.RegistrationApiPolicy)
            .DisableAntiforgery()
            // What the OpenAPI document says. The body is read by hand and described by RegistrationApiDocument: Accepts()
            // would let routing answer a wrong content type before authorization and the endpoint's own 415.
            .WithGroupName(RegistrationApiDocument.Name)
            .WithName("RegisterDocument")
            .WithSummary("Ein fertiges Dokument melden")
            .WithDescription("Prüft wie das Erfassungsformular am Schalter. 201 für ein neues Dokument, 200 für eine Wiederholung mit derselben applicationReference.")
            .Produces<RegistrationAnswer>(StatusCodes.Status201Created)
            .Produces<RegistrationAnswer>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        // The contract only, no data and no secret: open like the health checks, so a client generator can fetch it.
        app.MapOpenApi(RegistrationApiDocument.Route).AllowAnonymous();
    }

    private static async Task<IResult> RegisterAsync(
        HttpRequest request, DocumentRegistration registration, IDatabaseErrors databaseErrors, ILoggerFactory loggers,
        IStringLocalizer<SharedResource> localizer, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return TooLarge();
        }
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(title: "Erwartet wird application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        // Without Content-Length (chunked) the size shows only while reading: read at most the limit, then judge.
        var body = await ReadBoundedAsync(request, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }
        DocumentDraft? draft;
        try
        {
            draft = JsonSerializer.Deserialize<DocumentDraft>(body, JsonSerializerOptions.Web);
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

        RegistrationResult result;
        try
        {
            result = await registration.RegisterAsync(draft, "api:registration", cancellationToken);
        }
        catch (Exception ex) when (databaseErrors.IsUnavailable(ex))
        {
            // One transaction: nothing was stored, unless the database went away just as it confirmed; either way the
            // repeat is safe (the same applicationReference is answered 200 with the same id if it was stored).
            LogDatabaseUnavailable(loggers.CreateLogger(typeof(DocumentsApi).FullName!), ex);
            request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Die Datenbank ist gerade nicht erreichbar.",
                detail: $"Bitte in {RetryAfterSeconds} Sekunden erneut senden; eine Wiederholung legt kein zweites Dokument an.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var errors = localizer.Refusals(result.Errors);
        if (result.Conflict)
        {
            return TypedResults.Problem(title: "Widerspruch zu einem bereits erfassten Dokument.", detail: string.Join(" ", errors.Values),
                statusCode: StatusCodes.Status409Conflict);
        }
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(
                errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => new[] { e.Value }),
                title: "Die Angaben sind nicht gültig.");
        }
        var answer = new RegistrationAnswer(result.DocumentId!.Value, "Arrived");
        return result.Created ? TypedResults.Created($"{Path}/{result.DocumentId}", answer) : TypedResults.Ok(answer);
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(title: "Die Anfrage ist zu groß.", detail: $"Höchstens {MaxBodyBytes / 1024} KB.",
            statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registration API: the database is unavailable; answered 503 with Retry-After")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception exception);
}
