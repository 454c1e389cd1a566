using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.IntegrationTests.Security;
using Json.Schema;

namespace BackOffice.IntegrationTests.Api;

/// <summary>
/// The registration API's OpenAPI document as the vendor's client generator reads it, and a real request and its answer
/// checked against it: each body validated with JSON Schema (JsonSchema.Net, draft 2020-12, which OpenAPI 3.1 schemas
/// are) against the operation's schema from the document, with the document's components as definitions.
/// </summary>
public class RegistrationOpenApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Url = "/openapi/registration-v1.json";

    [Fact]
    public async Task Document_IsServedAtItsStableUrl_WithOnlyTheRegistrationApi_AndTheApiKeyScheme()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["/api/v1/documents"], document["paths"]!.AsObject().Select(p => p.Key));
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());
        var operation = document["paths"]!["/api/v1/documents"]!["post"]!;
        Assert.NotNull(operation["security"]![0]!["ApiKey"]);
        Assert.NotNull(operation["requestBody"]!["content"]!["application/json"]!["example"]);
        foreach (var status in new[] { "200", "201", "400", "401", "409", "413", "415", "429", "503" })
        {
            Assert.True(operation["responses"]![status] is not null, $"The document describes the answer {status}.");
        }
        Assert.Equal("application/problem+json", operation["responses"]!["409"]!["content"]!.AsObject().Single().Key);
    }

    [Fact]
    public async Task RealRequestAndAnswer_MatchTheDocument()
    {
        var document = await DocumentAsync();
        var operation = document["paths"]!["/api/v1/documents"]!["post"]!;
        var body = $$"""
            {
              "type": "Reisepass", "documentNumber": "C4MPXY7F9", "holderName": "Olga Openapi", "dateOfBirth": "02.03.1975",
              "mobileNumber": "0170 7654321", "oldDocumentNumbers": ["T22000145"],
              "applicationReference": "OAPI-{{Guid.NewGuid():N}}", "boxCode": "DLZ-1", "needsAccessibleCompartment": false
            }
            """[..];
        using var client = app.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AccessMatrixApp.ApiKey);

        AssertValid(document, operation["requestBody"]!["content"]!["application/json"]!["schema"]!, body, "request");
        var created = await client.PostAsync("/api/v1/documents", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var invalid = await client.PostAsync("/api/v1/documents", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        AssertAnswerMatches(document, operation, "201", created);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        AssertAnswerMatches(document, operation, "400", invalid);
        // The check can fail: an answer without the id is not what the document promises.
        Assert.Throws<Xunit.Sdk.TrueException>(() => AssertValid(document,
            operation["responses"]!["201"]!["content"]!["application/json"]!["schema"]!, """{ "state": "Arrived" }""", "a broken answer"));
    }

    private static void AssertAnswerMatches(JsonNode document, JsonNode operation, string status, HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        var content = operation["responses"]![status]!["content"]!.AsObject();
        Assert.True(content.ContainsKey(mediaType), $"The document has no {mediaType} for {status}: {string.Join(", ", content.Select(c => c.Key))}");
        AssertValid(document, content[mediaType]!["schema"]!, response.Content.ReadAsStringAsync().Result, $"answer {status}");
    }

    /// <summary>The operation's schema, its references to the document's components resolved as $defs.</summary>
    private static void AssertValid(JsonNode document, JsonNode schema, string json, string what)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = document["components"]?["schemas"]?.DeepClone() ?? new JsonObject(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var compiled = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var instance = JsonDocument.Parse(json);
        var result = compiled.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"The {what} does not match the document: "
            + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")))
            + $"\n{json}");
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var anonymous = app.CreateBrowserClient();
        var response = await anonymous.GetAsync(Url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
    }
}
