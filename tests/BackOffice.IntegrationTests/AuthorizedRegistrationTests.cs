using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.Infrastructure.Persistence;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

/// <summary>
/// A minor's document registered with a parent as the authorised person, through the API and the CSV import: stored
/// (encrypted) as a Vollmacht "bei der Antragstellung erfasst", with a timeline line and an audit line; bad data is
/// refused per field like the holder's.
/// </summary>
public class AuthorizedRegistrationTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Key = "development-only-registration-api-key-0001";

    [Fact]
    public async Task Api_WithAnAuthorisedPerson_StoresTheVollmacht()
    {
        var client = ApiClient();

        var response = await client.PostAsJsonAsync("/api/v1/documents", Draft("VM-API-1", "CFGH45678", new
        {
            name = "Eva Mustermann", dateOfBirth = "1980-05-05", mobileNumber = "0160 1112223",
        }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var db = await NewContextAsync();
        var stored = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == id);
        Assert.Equal(("Eva Mustermann", new DateOnly(1980, 5, 5), "+491601112223", AuthorizationProof.RecordedWithApplication),
            (stored.AuthorizedName, stored.AuthorizedDateOfBirth, stored.AuthorizedMobileNumber, stored.AuthorizationProof));
        Assert.Equal("+491601112223", stored.PinRecipient);
        Assert.NotNull(stored.AuthorizedMobileNumberHash);
        Assert.Contains(await db.DocumentEvents.Where(e => e.DocumentId == id).Select(e => e.Kind).ToListAsync(), k => k == DocumentEventKind.AuthorizationRecorded);
        Assert.Contains(await db.AuditEntries.Where(a => a.Subject == $"document:{id}").Select(a => a.Action).ToListAsync(), a => a == "document.authorization_recorded");
        // Encrypted at rest like the holder's data.
        var raw = await db.Database.SqlQuery<string>($"SELECT \"AuthorizedName\" AS \"Value\" FROM documents WHERE \"Id\" = {id}").SingleAsync();
        Assert.DoesNotContain("Mustermann", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithABadAuthorisedPerson_AnswersAProblemPerField_AndStoresNothing()
    {
        var response = await ApiClient().PostAsJsonAsync("/api/v1/documents", Draft("VM-API-2", "CFGH56789", new
        {
            name = "", dateOfBirth = "2015-01-01", mobileNumber = "0211 123456",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["authorizedPersonDateOfBirth", "authorizedPersonMobileNumber", "authorizedPersonName"], fields);
        await using var db = await NewContextAsync();
        Assert.False(await db.Documents.AnyAsync(d => d.ApplicationReference == "VM-API-2"));
    }

    [Fact]
    public async Task Csv_WithTheOptionalColumns_StoresTheVollmacht_AndWithoutThemNone()
    {
        var csv = "Antragsnummer;Dokumentart;Dokumentnummer;Name;Geburtsdatum;Mobilnummer;AlteDokumentnummern;Ausgabebox;Barrierefrei;" +
            "BevollmaechtigtName;BevollmaechtigtGeburtsdatum;BevollmaechtigtMobilnummer\n" +
            "VM-CSV-1;Kinderreisepass;CFGH67891;Mia Mustermann;05.05.2016;0160 1112224;;DLZ-1;;Eva Mustermann;05.05.1980;0160 1112224\n" +
            "VM-CSV-2;Reisepass;CFGH67892;Max Mustermann;01.04.1979;0170 1112225;;DLZ-1;;;;\n";

        var report = await app.Services.GetRequiredService<DocumentRegistration>().ImportCsvAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "staff:test");

        Assert.Empty(report.Errors);
        await using var db = await NewContextAsync();
        var minor = await db.Documents.AsNoTracking().SingleAsync(d => d.ApplicationReference == "VM-CSV-1");
        var adult = await db.Documents.AsNoTracking().SingleAsync(d => d.ApplicationReference == "VM-CSV-2");
        Assert.Equal(("Eva Mustermann", new DateOnly(1980, 5, 5)), (minor.AuthorizedName, minor.AuthorizedDateOfBirth));
        Assert.Null(adult.AuthorizedName);
    }

    private async Task<BackOfficeDbContext> NewContextAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<BackOfficeDbContext>>().CreateDbContextAsync();

    private HttpClient ApiClient()
    {
        var client = app.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    private static object Draft(string reference, string number, object authorizedPerson) => new
    {
        type = "ChildPassport",
        documentNumber = number,
        holderName = "Mia Mustermann",
        dateOfBirth = "2016-05-05",
        mobileNumber = "+49 170 1234567",
        oldDocumentNumbers = Array.Empty<string>(),
        applicationReference = reference,
        boxCode = "DLZ-1",
        authorizedPerson,
    };
}
