using System.Text.Json.Nodes;
using BackOffice.Application.Documents;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BackOffice.Web.Api;

/// <summary>
/// The registration API's OpenAPI document (<c>/openapi/registration-v1.json</c>, docs/registration-api.md): only
/// <see cref="DocumentsApi"/>, never the staff UI's endpoints; the <c>X-Api-Key</c> scheme on every operation; examples
/// of a request, the answer and a validation problem, so the vendor can generate a client and see what to send.
/// </summary>
internal static class RegistrationApiDocument
{
    public const string Name = "registration-v1";
    public const string Route = "/openapi/{documentName}.json";
    public const string Url = "/openapi/" + Name + ".json";
    public const string SecuritySchemeName = "ApiKey";

    public static IServiceCollection AddRegistrationApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, options =>
        {
            options.ShouldInclude = description => description.GroupName == Name;
            options.AddDocumentTransformer(DescribeAsync);
            options.AddOperationTransformer(AddExamplesAsync);
        });

    private static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Ausgabebox Back Office – Registrierungs-API",
            Version = "v1",
            Description = "Meldet fertige Ausweisdokumente an die Ausgabebox. Idempotent über applicationReference: "
                + "eine wiederholte Meldung antwortet 200 mit derselben id. Fehler als RFC 7807 Problem Details.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "Der API-Schlüssel der Registrierungssoftware (Api:Keys).",
        };
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] };
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            operation.Security = [requirement];
        }
        return Task.CompletedTask;
    }

    private static async Task AddExamplesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath?.TrimStart('/') == DocumentsApi.Path.TrimStart('/'))
        {
            var request = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(typeof(DocumentDraft), null, cancellationToken) };
            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = request } };
            request.Example = JsonNode.Parse("""
                {
                  "type": "Reisepass",
                  "documentNumber": "C01X00T47",
                  "holderName": "Erika Mustermann",
                  "dateOfBirth": "12.08.1983",
                  "mobileNumber": "0170 1234567",
                  "oldDocumentNumbers": ["T22000129"],
                  "applicationReference": "A-2026-000123",
                  "boxCode": "DLZ-1",
                  "needsAccessibleCompartment": false
                }
                """);
        }
        foreach (var (status, response) in operation.Responses ?? [])
        {
            var content = response.Content?.Values.FirstOrDefault();
            if (content is null)
            {
                continue;
            }
            content.Example = status switch
            {
                "200" or "201" => JsonNode.Parse("""{ "id": "3f2b8c1e-6a4d-4e0b-9a51-2d7c4f1e8b90", "state": "Arrived" }"""),
                "400" => JsonNode.Parse("""
                    {
                      "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                      "title": "Die Angaben sind nicht gültig.",
                      "status": 400,
                      "errors": { "documentNumber": ["Die Dokumentnummer hat nicht das Format eines deutschen Ausweisdokuments."] }
                    }
                    """),
                "401" => JsonNode.Parse("""{ "type": "https://tools.ietf.org/html/rfc9110#section-15.5.2", "title": "API-Schlüssel fehlt oder ist ungültig.", "status": 401 }"""),
                "409" => JsonNode.Parse("""{ "type": "https://tools.ietf.org/html/rfc9110#section-15.5.10", "title": "Widerspruch zu einem bereits erfassten Dokument.", "status": 409 }"""),
                _ => content.Example,
            };
        }
    }
}

/// <summary>The answer to a registration: the document's id in the back office and its state.</summary>
public sealed record RegistrationAnswer(Guid Id, string State);
