using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Documents;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

public class DocumentApiTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Key = "development-only-registration-api-key-0001";

    [Fact]
    public async Task Post_WithoutOrWithWrongKey_IsRefusedWithAProblem()
    {
        var client = app.CreateBrowserClient();

        var missing = await client.PostAsJsonAsync("/api/v1/documents", Draft("API-401"));
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong-key-wrong-key-wrong-key-wrong-key");
        var wrong = await client.PostAsJsonAsync("/api/v1/documents", Draft("API-401"));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.False(await ExistsAsync("API-401"));
    }

    [Fact]
    public async Task Post_ValidDocument_CreatesItOnceAndARepeatAnswersWithTheSameId()
    {
        var client = ApiClient();

        var created = await client.PostAsJsonAsync("/api/v1/documents", Draft("API-1", "CFGH12345"));
        var repeated = await client.PostAsJsonAsync("/api/v1/documents", Draft("API-1", "CFGH12345"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await repeated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.EndsWith($"/api/v1/documents/{id}", created.Headers.Location?.ToString(), StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOffice.Infrastructure.Persistence.BackOfficeDbContext>();
        var stored = await db.Documents.SingleAsync(d => d.ApplicationReference == "API-1");
        Assert.Equal("+491701234567", stored.MobileNumber);
    }

    [Fact]
    public async Task Post_SameReferenceForAnotherDocument_IsAConflict()
    {
        var client = ApiClient();
        await client.PostAsJsonAsync("/api/v1/documents", Draft("API-2", "CFGH23456"));

        var conflict = await client.PostAsJsonAsync("/api/v1/documents", Draft("API-2", "CFGH34567"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Post_InvalidFields_AnswersAValidationProblemPerFieldAndStoresNothing()
    {
        var response = await ApiClient().PostAsJsonAsync("/api/v1/documents", new
        {
            type = "Führerschein",
            documentNumber = "ABC",
            holderName = "",
            dateOfBirth = "31.02.2001",
            mobileNumber = "0211 123456",
            applicationReference = "API-3",
            boxCode = "NOPE-9",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["boxCode", "dateOfBirth", "documentNumber", "holderName", "mobileNumber", "type"], fields);
        Assert.False(await ExistsAsync("API-3"));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "documentNumber": 5, "applicationReference": "API-4" }""")]
    [InlineData("""{ "needsAccessibleCompartment": "maybe", "applicationReference": "API-4" }""")]
    [InlineData("null")]
    public async Task Post_MalformedJson_IsABadRequestProblem(string body)
    {
        var response = await ApiClient().PostAsync("/api/v1/documents", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await ExistsAsync("API-4"));
    }

    [Fact]
    public async Task Post_NotJson_IsUnsupportedMediaType()
    {
        var response = await ApiClient().PostAsync("/api/v1/documents", new StringContent("a;b;c", Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private HttpClient ApiClient()
    {
        var client = app.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    private static object Draft(string reference, string number = "CFGH99999") => new
    {
        type = "Passport",
        documentNumber = number,
        holderName = "Max Mustermann",
        dateOfBirth = "1979-04-01",
        mobileNumber = "+49 170 1234567",
        oldDocumentNumbers = new[] { "T22000129" },
        applicationReference = reference,
        boxCode = "DLZ-1",
    };

    private async Task<bool> ExistsAsync(string reference)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOffice.Infrastructure.Persistence.BackOfficeDbContext>();
        return await db.Documents.AnyAsync(d => d.ApplicationReference == reference);
    }
}

public class DocumentImportTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Header = "Antragsnummer;Dokumentart;Dokumentnummer;Name;Geburtsdatum;Mobilnummer;AlteDokumentnummern;Ausgabebox;Barrierefrei";

    private DocumentRegistration Registration => app.Services.GetRequiredService<DocumentRegistration>();

    [Fact]
    public async Task Import_MixedFile_TakesGoodRowsAndReportsEachBadOneWithItsLine()
    {
        var csv = string.Join("\n",
            Header,
            "IMP-1;Reisepass;C1FGH2345;Anna Becker;01.02.1990;0151 2345678;;DLZ-1;nein",
            "IMP-2;Personalausweis;XYZ;Ben Koch;03.04.1985;0152 3456789;;DLZ-1;",
            "IMP-3;Kinderreisepass;C1FGH2346;Clara Koch;05.06.2019;0152 3456789;;HOL-1;ja",
            "IMP-4;Reisepass;C1FGH2347;Dora Wolf;07.08.1970;0211 123456;;DLZ-1;",
            "IMP-1;Reisepass;C1FGH2345;Anna Becker;01.02.1990;0151 2345678;;DLZ-1;nein",
            "IMP-5;elektronischer Aufenthaltstitel;C1FGH2348;Emil Yilmaz;09.10.1995;+90 532 1234567;C1FGH2349;DLZ-1;");

        var report = await ImportAsync(csv);

        Assert.Null(report.FileError);
        Assert.Equal(6, report.Rows);
        Assert.Equal(3, report.Imported);
        Assert.Equal([3, 5, 6], report.Errors.Select(e => e.Line));
        Assert.Contains("Dokumentnummer", app.Services.Words(report.Errors[0].Reasons), StringComparison.Ordinal);
        Assert.Contains("Mobilnummer", app.Services.Words(report.Errors[1].Reasons), StringComparison.Ordinal);
        Assert.Contains("mehrfach", app.Services.Words(report.Errors[2].Reasons), StringComparison.Ordinal);
        // The clerk finds the case by its Antragsnummer and name, not by counting lines in the file.
        Assert.Equal(["IMP-2", "IMP-4", "IMP-1"], report.Errors.Select(e => e.ApplicationReference));
        Assert.Equal(["Ben Koch", "Dora Wolf", "Anna Becker"], report.Errors.Select(e => e.HolderName));

        var again = await ImportAsync(csv);
        Assert.Equal(0, again.Imported);
        Assert.Equal(3, again.AlreadyPresent);
    }

    [Theory]
    [InlineData("Nummer;Name\n1;x")]
    [InlineData("")]
    public async Task Import_UnreadableFile_ImportsNothing(string csv)
    {
        var report = await ImportAsync(csv + "\nBAD-1;Reisepass;C1FGH9999;X Y;01.01.1990;0151 2345678;;DLZ-1;");

        Assert.NotNull(report.FileError);
        Assert.Equal(0, report.Imported);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackOffice.Infrastructure.Persistence.BackOfficeDbContext>();
        Assert.False(await db.Documents.AnyAsync(d => d.ApplicationReference == "BAD-1"));
    }

    [Fact]
    public async Task Import_NotUtf8_ImportsNothing()
    {
        var bytes = Encoding.Latin1.GetBytes(Header + "\nLAT-1;Reisepass;C1FGH8888;Jürgen Müller;01.01.1990;0151 2345678;;DLZ-1;");

        var report = await Registration.ImportCsvAsync(new MemoryStream(bytes), "staff:test");

        Assert.NotNull(report.FileError);
        Assert.Equal(0, report.Imported);
    }

    private Task<ImportReport> ImportAsync(string csv) =>
        Registration.ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "staff:test");
}
