using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using BackOffice.Application.Documents;
using BackOffice.Infrastructure.Identity;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests.Privacy;

/// <summary>
/// The Art. 15 export as the Datenschutz page sends it (issue 13): a form POST (the number in no URL), a German PDF and
/// German, unescaped JSON with people's names and office times, and a German message when nothing is found.
/// </summary>
public class PersonalDataExportTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Number = "CKK000072";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Json_HasGermanKeysStatesAndNames_OfficeTimes_AndUmlautsUnescaped()
    {
        await RegisterAsync();
        var client = await AdminAsync();

        var response = await PostAsync(client, Number.ToLowerInvariant(), "json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^Auskunft_Art15_\d{4}-\d\d-\d\d\.json$", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("\"name\": \"Jürgen Müßig\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Arrived", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@demo.local", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("Andrea Admin", json.RootElement.GetProperty("erstelltVon").GetString());
        var document = Assert.Single(json.RootElement.GetProperty("dokumente").EnumerateArray());
        Assert.Equal(Number, document.GetProperty("dokumentnummer").GetString());
        Assert.Equal("Reisepass", document.GetProperty("dokumentart").GetString());
        Assert.Equal("eingegangen", document.GetProperty("status").GetString());
        var registered = document.GetProperty("verlauf")[0];
        Assert.Equal("erfasst", registered.GetProperty("ereignis").GetString());
        Assert.Equal("Jana Neumann", registered.GetProperty("durch").GetString());
        // Office time with its offset (+01:00 or +02:00), not UTC.
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[12]:00$", registered.GetProperty("zeitpunkt").GetString());
    }

    [Fact]
    public async Task Pdf_IsAPdfFile_NamedByTheDayNotTheNumber()
    {
        await RegisterAsync();
        var client = await AdminAsync();

        var response = await PostAsync(client, Number, "pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes[..4]));
        Assert.DoesNotContain(Number, response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNumber_LeadsBackToThePage_WithAGermanMessage_AndTheNumberInNoAddress()
    {
        var client = await AdminAsync();

        var response = await PostAsync(client, "C00000000", "pdf");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal("/datenschutz?auskunft=nicht-gefunden", location);
        var page = await (await client.GetAsync(location, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Zu dieser Dokumentnummer sind keine Daten gespeichert.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("C00000000", page, StringComparison.Ordinal);

        var invalid = await PostAsync(client, "kein-pass", "pdf");
        Assert.Equal("/datenschutz?auskunft=ungueltig", invalid.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TheOldGetWithTheNumberInTheUrl_IsGone_AndASupervisorIsRefused()
    {
        var admin = await AdminAsync();
        var get = await admin.GetAsync($"/datenschutz/export?number={Number}", Ct);
        Assert.NotEqual(HttpStatusCode.OK, get.StatusCode);

        var supervisor = app.CreateBrowserClient();
        await StaffSession.SignInAsync(supervisor, "teamleitung@demo.local", DemoStaff.Password);
        var refused = await supervisor.PostAsync("/datenschutz/auskunft", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["number"] = Number,
            ["format"] = "pdf",
        }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private async Task<HttpClient> AdminAsync()
    {
        var client = app.CreateBrowserClient();
        await StaffSession.SignInAsync(client, "admin@demo.local", DemoStaff.Password);
        return client;
    }

    /// <summary>As the page's form posts it: with the antiforgery token the page rendered.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string number, string format)
    {
        var page = await client.GetStringAsync("/datenschutz", Ct);
        var form = new HtmlParser().ParseDocument(page).QuerySelector("form[action='/datenschutz/auskunft']");
        Assert.NotNull(form);
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(token), "The export form carries an antiforgery token.");
        Assert.NotNull(form.QuerySelector("input[name=number]"));
        return await client.PostAsync("/datenschutz/auskunft", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token!,
            ["number"] = number,
            ["format"] = format,
        }), Ct);
    }

    [Fact]
    public async Task Export_OfADocumentWithAVollmacht_HoldsTheAuthorisedPersonsData()
    {
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "ChildPassport",
            DocumentNumber = "CKK000073",
            HolderName = "Mia Müßig",
            DateOfBirth = "05.05.2016",
            MobileNumber = "0170 1234569",
            ApplicationReference = "ART15-VOLLMACHT",
            BoxCode = "DLZ-1",
            AuthorizedPerson = new() { Name = "Eva Müßig", DateOfBirth = "05.05.1980", MobileNumber = "0160 1112223" },
        }, "staff:sachbearbeitung@demo.local", Ct);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));

        var export = await app.Services.GetRequiredService<Application.Privacy.PersonalDataExport>().ExportAsync("CKK000073", "staff:admin@demo.local", Ct);

        var authorization = Assert.Single(export!.Documents).Authorization;
        Assert.Equal(("Eva Müßig", (DateOnly?)new DateOnly(1980, 5, 5), "+491601112223", "bei der Antragstellung erfasst"),
            (authorization!.Name, authorization.DateOfBirth, authorization.MobileNumber, authorization.Proof));
        using var json = JsonDocument.Parse(Application.Privacy.PersonalDataFiles.ToJson(export));
        var vollmacht = json.RootElement.GetProperty("dokumente")[0].GetProperty("vollmacht");
        Assert.Equal(("Eva Müßig", "1980-05-05", "+491601112223"),
            (vollmacht.GetProperty("name").GetString(), vollmacht.GetProperty("geburtsdatum").GetString(), vollmacht.GetProperty("mobilnummer").GetString()));
        // The PDF has a block of its own for it.
        var facts = Application.Privacy.PersonalDataFiles.ToReport(export, 30).Blocks.OfType<Application.Reports.ReportFacts>()
            .Single(f => f.Caption == "Bevollmächtigte Person (Vollmacht)");
        Assert.Contains(new Application.Reports.ReportFact("Name", "Eva Müßig"), facts.Items);
    }

    private async Task RegisterAsync()
    {
        // Both tests register the same person: the second finds the first's document.
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Passport",
            DocumentNumber = Number,
            HolderName = "Jürgen Müßig",
            DateOfBirth = "01.04.1979",
            MobileNumber = "0170 1234568",
            ApplicationReference = "ART15-1",
            BoxCode = "DLZ-1",
        }, "staff:sachbearbeitung@demo.local", Ct);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
    }
}
