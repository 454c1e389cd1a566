using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Bridge.Contracts;
using BackOffice.Infrastructure.Persistence;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackOffice.IntegrationTests.Security;

/// <summary>
/// Bad input at the registration API and the CSV import: each gets a clear refusal, nothing is stored, and the app
/// keeps answering.
/// </summary>
public class BadInputTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Key = "development-only-registration-api-key-0001";
    private const string Script = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";
    private const string CsvHeader = "Antragsnummer;Dokumentart;Dokumentnummer;Name;Geburtsdatum;Mobilnummer;AlteDokumentnummern;Ausgabebox;Barrierefrei";

    public static TheoryData<string, string> MalformedBodies() => new()
    {
        { "wrong type: number for a text", """{ "documentNumber": 5, "applicationReference": "BAD-1" }""" },
        { "wrong type: text for a flag", """{ "needsAccessibleCompartment": "vielleicht", "applicationReference": "BAD-1" }""" },
        { "wrong type: text for a list", """{ "oldDocumentNumbers": "T22000129", "applicationReference": "BAD-1" }""" },
        { "wrong type: object for a text", """{ "holderName": { "first": "Max" }, "applicationReference": "BAD-1" }""" },
        { "wrong type: array at the top", """[ { "applicationReference": "BAD-1" } ]""" },
        { "not JSON", """{ "applicationReference": "BAD-1", """ },
        { "JSON null", "null" },
        { "empty body", "" },
    };

    public static TheoryData<string, string, string> InvalidFields() => new()
    {
        { "unknown document type", "type", """ "type": "Führerschein" """ },
        { "document type as a number", "type", """ "type": "1" """ },
        { "missing document type", "type", """ "type": null """ },
        { "missing holder name", "holderName", """ "holderName": null """ },
        { "script in the holder name", "holderName", $""" "holderName": {JsonSerializer.Serialize(Script)} """ },
        { "holder name of 50,000 characters", "holderName", $""" "holderName": "{new string('A', 50_000)}" """ },
        { "control characters in the name", "holderName", """ "holderName": "Max\u0000Mustermann" """ },
        { "unknown box", "boxCode", """ "boxCode": "<b>NOPE</b>" """ },
        { "birth date in the future", "dateOfBirth", """ "dateOfBirth": "2999-01-01" """ },
        { "too many old numbers", "oldDocumentNumbers", $""" "oldDocumentNumbers": [{string.Join(",", Enumerable.Range(0, 500).Select(i => $"\"T{i:00000000}\""))}] """ },
        { "reference with markup", "applicationReference", """ "applicationReference": "<script>" """ },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Api_MalformedJson_IsABadRequestProblem_AndStoresNothing(string what, string body)
    {
        var before = await DocumentCountAsync();

        var response = await ApiClient().PostAsync(DocumentsPath, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        await AssertProblemAsync(response);
        Assert.Equal(before, await DocumentCountAsync());
    }

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task Api_InvalidField_IsAValidationProblemNamingTheField_AndStoresNothing(string what, string field, string json)
    {
        var before = await DocumentCountAsync();
        // A valid document with one field replaced (a later duplicate key wins in System.Text.Json).
        var body = JsonSerializer.Serialize(ValidDraft($"BAD-{Guid.NewGuid():N}"[..20]))[..^1] + "," + json + "}";

        var response = await ApiClient().PostAsync(DocumentsPath, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        var problem = await AssertProblemAsync(response);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(before, await DocumentCountAsync());
    }

    [Fact]
    public async Task Api_ScriptInTheHolderName_IsRefusedWithAGermanReason()
    {
        var draft = ValidDraft("BAD-SCRIPT") with { holderName = Script };

        var response = await ApiClient().PostAsJsonAsync(DocumentsPath, draft);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AssertProblemAsync(response);
        Assert.Contains("unzulässige Zeichen", problem.GetProperty("errors").GetProperty("holderName")[0].GetString(), StringComparison.Ordinal);
        Assert.False(await ExistsAsync("BAD-SCRIPT"));
    }

    [Fact]
    public async Task Api_BodyOver64KB_IsRefusedAs413_WithOrWithoutContentLength()
    {
        var before = await DocumentCountAsync();
        var huge = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(ValidDraft("BAD-HUGE") with { holderName = new string('A', 100 * 1024) }));

        var sized = await ApiClient().PostAsync(DocumentsPath, Json(new ByteArrayContent(huge)));
        var chunked = await ApiClient().PostAsync(DocumentsPath, Json(new UnsizedContent(huge)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal("Die Anfrage ist zu groß.", (await AssertProblemAsync(chunked)).GetProperty("title").GetString());
        Assert.Equal(before, await DocumentCountAsync());
    }

    [Fact]
    public async Task Api_InvalidUtf8_IsABadRequest()
    {
        var bytes = Encoding.UTF8.GetBytes("""{ "holderName": "X", "applicationReference": "BAD-UTF8" }""");
        bytes[17] = 0xC3; // the first byte of a two-byte sequence, followed by a quote: not UTF-8

        var response = await ApiClient().PostAsync(DocumentsPath, Json(new ByteArrayContent(bytes)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await ExistsAsync("BAD-UTF8"));
    }

    [Fact]
    public async Task Api_AfterBadInput_StillRegistersAValidDocument()
    {
        var client = ApiClient();
        await client.PostAsync(DocumentsPath, new StringContent("{ nope", Encoding.UTF8, "application/json"));
        await client.PostAsync(DocumentsPath, Json(new UnsizedContent(new byte[200 * 1024])));

        var response = await client.PostAsJsonAsync(DocumentsPath, ValidDraft("BAD-AFTER"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(await ExistsAsync("BAD-AFTER"));
    }

    [Fact]
    public async Task Import_FileOver10MB_IsRefusedWhole()
    {
        var before = await DocumentCountAsync();
        var rows = new StringBuilder(CsvHeader).Append('\n');
        for (var i = 0; rows.Length <= DocumentRegistration.MaxImportBytes; i++)
        {
            rows.Append(CultureInvariant($"BIG-{i};Reisepass;C01X00T47;{new string('A', 600)};01.01.1990;0151 2345678;;DLZ-1;\n"));
        }

        var report = await ImportAsync(Encoding.UTF8.GetBytes(rows.ToString()));

        Assert.Equal("Die Datei ist größer als 10 MB.", app.Services.Words(report.FileError));
        Assert.Equal(0, report.Imported);
        Assert.Equal(before, await DocumentCountAsync());
    }

    [Fact]
    public async Task Import_MoreRowsThanAllowed_IsRefusedWhole()
    {
        var rows = new StringBuilder(CsvHeader).Append('\n');
        for (var i = 0; i <= DocumentRegistration.MaxImportRows; i++)
        {
            rows.Append(CultureInvariant($"ROWS-{i};Reisepass;C01X00T47;Max Muster;01.01.1990;0151 2345678;;DLZ-1;\n"));
        }

        var report = await ImportAsync(Encoding.UTF8.GetBytes(rows.ToString()));

        Assert.Equal("Die Datei hat mehr als 20.000 Zeilen; bitte in kleineren Teilen importieren.", app.Services.Words(report.FileError));
        Assert.False(await ExistsAsync("ROWS-0"));
    }

    [Fact]
    public async Task Import_BinaryGarbage_IsRefusedWhole()
    {
        var before = await DocumentCountAsync();
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);

        var report = await ImportAsync(garbage);

        Assert.NotNull(report.FileError);
        Assert.Equal(0, report.Imported);
        Assert.Equal(before, await DocumentCountAsync());
    }

    [Fact]
    public async Task Import_Windows1252File_IsRefusedWhole()
    {
        var bytes = Encoding.Latin1.GetBytes(CsvHeader + "\nW1252-1;Reisepass;C01X00T48;Jürgen Weiß;01.01.1990;0151 2345678;;DLZ-1;\n");

        var report = await ImportAsync(bytes);

        Assert.Equal("Die Datei ist keine lesbare CSV-Datei (Semikolon, UTF-8).", app.Services.Words(report.FileError));
        Assert.False(await ExistsAsync("W1252-1"));
    }

    [Fact]
    public async Task Import_RowWithScriptOrHugeName_IsRefusedWithItsLine_OtherRowsAreTaken()
    {
        var csv = string.Join("\n",
            CsvHeader,
            "XSS-1;Reisepass;C01X00T49;Anna Becker;01.02.1990;0151 2345678;;DLZ-1;nein",
            $"XSS-2;Reisepass;C01X00T4C;{Script.Replace("\"", "\"\"", StringComparison.Ordinal).Insert(0, "\"") + "\""};03.04.1985;0152 3456789;;DLZ-1;",
            $"XSS-3;Reisepass;C01X00T4F;{new string('N', 100_000)};03.04.1985;0152 3456789;;DLZ-1;",
            "XSS-4;Führerschein;C01X00T4G;Dora Wolf;01.02.1990;0151 2345678;;DLZ-1;");

        var report = await ImportAsync(Encoding.UTF8.GetBytes(csv));

        Assert.Null(report.FileError);
        Assert.Equal(1, report.Imported);
        Assert.Equal([3, 4, 5], report.Errors.Select(e => e.Line));
        Assert.Contains("unzulässige Zeichen", app.Services.Words(report.Errors[0].Reasons), StringComparison.Ordinal);
        Assert.Contains("höchstens 100 Zeichen", app.Services.Words(report.Errors[1].Reasons), StringComparison.Ordinal);
        Assert.Contains("Dokumentart", app.Services.Words(report.Errors[2].Reasons), StringComparison.Ordinal);
        Assert.True(await ExistsAsync("XSS-1"));
        Assert.False(await ExistsAsync("XSS-2"));
        Assert.False(await ExistsAsync("XSS-3"));
    }

    private const string DocumentsPath = "/api/v1/documents";

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static HttpContent Json(HttpContent content)
    {
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    private HttpClient ApiClient()
    {
        var client = app.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    private static Draft ValidDraft(string reference) => new(
        "Passport", $"C{Random.Shared.Next(100_000_000):00000000}",
        "Max Mustermann", "1979-04-01", "+49 170 1234567", ["T22000129"], reference, "DLZ-1");

    private sealed record Draft(string type, string documentNumber, string holderName, string dateOfBirth, string mobileNumber,
        string[] oldDocumentNumbers, string applicationReference, string boxCode);

    private Task<ImportReport> ImportAsync(byte[] bytes) =>
        app.Services.GetRequiredService<DocumentRegistration>().ImportCsvAsync(new MemoryStream(bytes), "staff:test");

    private async Task<int> DocumentCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BackOfficeDbContext>().Documents.CountAsync();
    }

    private async Task<bool> ExistsAsync(string reference)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BackOfficeDbContext>().Documents.AnyAsync(d => d.ApplicationReference == reference);
    }

    /// <summary>A body without Content-Length (sent chunked), so the server sees its size only while reading.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>
/// Bad calls on the box hub over real WebSockets: each is refused for that call only (HubException), the connection
/// stays up, and nothing is stored.
/// </summary>
public class HubBadInputTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    private static readonly string Huge = new('x', 100 * 1024);

    /// <summary>Method, what is wrong, and the argument sent (anonymous objects: JSON exactly as a broken bridge would send it).</summary>
    private static readonly Dictionary<string, (string Method, object? Argument)> Calls = new()
    {
        ["Hello without payload"] = (BridgeProtocol.ServerMethods.Hello, null),
        ["Hello with no fields"] = (BridgeProtocol.ServerMethods.Hello, new { }),
        ["Hello with a 100 KB version"] = (BridgeProtocol.ServerMethods.Hello, new { softwareVersion = Huge, doors = Array.Empty<object>() }),
        ["Hello with doors as text"] = (BridgeProtocol.ServerMethods.Hello, new { softwareVersion = "1", doors = "01-01" }),
        ["Hello with an unknown door state"] = (BridgeProtocol.ServerMethods.Hello, new { softwareVersion = "1", doors = new[] { new { compartment = "01-01", state = "Ajar" } } }),
        ["Hello naming a door twice"] = (BridgeProtocol.ServerMethods.Hello, new { softwareVersion = "1", doors = new[] { new { compartment = "01-01", state = "Open" }, new { compartment = "01-01", state = "Closed" } } }),
        ["Hello with too many doors"] = (BridgeProtocol.ServerMethods.Hello, new { softwareVersion = "1", doors = Enumerable.Range(0, 2001).Select(i => new { compartment = $"{i}", state = "Open" }) }),
        ["Door without payload"] = (BridgeProtocol.ServerMethods.ReportDoor, null),
        ["Door with no fields"] = (BridgeProtocol.ServerMethods.ReportDoor, new { }),
        ["Door with a number for the event id"] = (BridgeProtocol.ServerMethods.ReportDoor, new { eventId = 5, compartment = "01-01", state = "Open", at = DateTimeOffset.UtcNow }),
        ["Door with an unknown state"] = (BridgeProtocol.ServerMethods.ReportDoor, new { eventId = Guid.NewGuid(), compartment = "01-01", state = "Ajar", at = DateTimeOffset.UtcNow }),
        ["Door with a 100 KB compartment"] = (BridgeProtocol.ServerMethods.ReportDoor, new { eventId = Guid.NewGuid(), compartment = Huge, state = "Open", at = DateTimeOffset.UtcNow }),
        ["Door without a time"] = (BridgeProtocol.ServerMethods.ReportDoor, new { eventId = Guid.NewGuid(), compartment = "01-01", state = "Open" }),
        ["Door of an unknown compartment"] = (BridgeProtocol.ServerMethods.ReportDoor, new { eventId = Guid.NewGuid(), compartment = "<script>", state = "Open", at = DateTimeOffset.UtcNow }),
        ["Heartbeat without payload"] = (BridgeProtocol.ServerMethods.ReportHeartbeat, null),
        ["Heartbeat with no fields"] = (BridgeProtocol.ServerMethods.ReportHeartbeat, new { }),
        ["Heartbeat with text for a number"] = (BridgeProtocol.ServerMethods.ReportHeartbeat, new { at = DateTimeOffset.UtcNow, returnBinFillPercent = "voll", faults = Array.Empty<string>() }),
        ["Heartbeat over 100 percent"] = (BridgeProtocol.ServerMethods.ReportHeartbeat, new { at = DateTimeOffset.UtcNow, returnBinFillPercent = 250, faults = Array.Empty<string>() }),
        ["Heartbeat with a 100 KB fault"] = (BridgeProtocol.ServerMethods.ReportHeartbeat, new { at = DateTimeOffset.UtcNow, returnBinFillPercent = 10, faults = new[] { Huge } }),
        ["Heartbeat with too many faults"] = (BridgeProtocol.ServerMethods.ReportHeartbeat, new { at = DateTimeOffset.UtcNow, returnBinFillPercent = 10, faults = Enumerable.Range(0, 51).Select(i => $"F{i}") }),
        ["Result without payload"] = (BridgeProtocol.ServerMethods.ReportCommandResult, null),
        ["Result with no fields"] = (BridgeProtocol.ServerMethods.ReportCommandResult, new { }),
        ["Result with text for the command id"] = (BridgeProtocol.ServerMethods.ReportCommandResult, new { commandId = "abc", outcome = "Opened" }),
        ["Result with an unknown outcome"] = (BridgeProtocol.ServerMethods.ReportCommandResult, new { commandId = Guid.NewGuid(), outcome = "Exploded" }),
        ["Result with a 100 KB detail"] = (BridgeProtocol.ServerMethods.ReportCommandResult, new { commandId = Guid.NewGuid(), outcome = "Failed", detail = Huge }),
        ["Pickup without payload"] = (BridgeProtocol.ServerMethods.RequestPickup, null),
        ["Pickup with no fields"] = (BridgeProtocol.ServerMethods.RequestPickup, new { }),
        ["Pickup without phone and PIN"] = (BridgeProtocol.ServerMethods.RequestPickup, new { requestId = Guid.NewGuid() }),
        ["Pickup with a number for the PIN"] = (BridgeProtocol.ServerMethods.RequestPickup, new { requestId = Guid.NewGuid(), phone = "+491701234567", pin = 123456 }),
        ["Pickup with a 100 KB phone"] = (BridgeProtocol.ServerMethods.RequestPickup, new { requestId = Guid.NewGuid(), phone = Huge, pin = "123456" }),
        ["Old ID without payload"] = (BridgeProtocol.ServerMethods.ReportOldDocument, null),
        ["Old ID with no fields"] = (BridgeProtocol.ServerMethods.ReportOldDocument, new { }),
        ["Old ID with a 100 KB number"] = (BridgeProtocol.ServerMethods.ReportOldDocument, new { eventId = Guid.NewGuid(), documentNumber = Huge, at = DateTimeOffset.UtcNow }),
        ["Old ID with a list for the time"] = (BridgeProtocol.ServerMethods.ReportOldDocument, new { eventId = Guid.NewGuid(), at = new[] { 1, 2 } }),
    };

    public static TheoryData<string> BadCalls() => [.. Calls.Keys];

    [Fact]
    public void EveryHubMethod_HasBadCalls() =>
        Assert.All(AccessTable.HubMethods, m => Assert.Contains(Calls.Values, c => c.Method == m.Name));

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task BadCall_IsRefusedForThatCallOnly_AndStoresNothing(string what)
    {
        var (method, argument) = Calls[what];
        var ct = TestContext.Current.CancellationToken;
        var connection = await app.ConnectRawAsync(await app.IssueKeyAsync("HOL-1"));
        var before = await SnapshotAsync();

        var refused = await Assert.ThrowsAnyAsync<HubException>(() => connection.InvokeCoreAsync(method, typeof(object), [argument], ct));

        Assert.DoesNotContain(Huge[..100], refused.Message, StringComparison.Ordinal);
        // Refusals are recorded on purpose (checked below); nothing else may be stored.
        Assert.Equal(before with { Refusals = 0 }, await SnapshotAsync() with { Refusals = 0 });
        // A refusal the hub itself decided is kept for staff ("Offene Vorgänge"), never with what was sent in bulk.
        await using (var db = await app.NewDbContextAsync())
        {
            var refusals = await db.AuditEntries.Where(a => a.Action == BridgeRefusals.AuditAction && a.Subject == "box:HOL-1")
                .Select(a => a.Details ?? "").ToListAsync(ct);
            Assert.DoesNotContain(refusals, d => d.Contains(Huge[..100], StringComparison.Ordinal));
            Assert.True(refusals.Count > before.Refusals || !BridgeProtocol.Errors.IsRefusal(refused.Message),
                $"{what}: refused by the hub but not recorded for staff");
        }
        // The same connection goes on working.
        Assert.Equal(HubConnectionState.Connected, connection.State);
        await connection.InvokeAsync(BridgeProtocol.ServerMethods.ReportHeartbeat, new HeartbeatReport(DateTimeOffset.UtcNow, 5, []), ct);
    }

    [Fact]
    public async Task MessageOverTheSizeLimit_ClosesOnlyThatConnection_TheBoxReconnectsAndWorks()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = await app.IssueKeyAsync("HOL-1");
        var connection = await app.ConnectRawAsync(key);
        var closed = new TaskCompletionSource();
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var before = await SnapshotAsync();

        // Over BridgeProtocol.Limits.MaxMessageBytes: SignalR drops the connection before any method sees it.
        _ = connection.InvokeCoreAsync(BridgeProtocol.ServerMethods.Hello, typeof(HelloResponse),
            [new HelloRequest(new string('v', BridgeProtocol.Limits.MaxMessageBytes + 1024), [])], ct);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var again = await app.ConnectRawAsync(key);
        var hello = await again.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("2.0", []), ct);
        Assert.NotEqual(default, hello.ServerTime);
        Assert.Equal("2.0", (await SnapshotAsync()).Version);
        Assert.Equal(before.DoorEvents, (await SnapshotAsync()).DoorEvents);
    }

    /// <summary>What a bad call could have left behind for HOL-1: rows of every kind the hub stores, and the box's own fields.</summary>
    private async Task<Snapshot> SnapshotAsync()
    {
        await using var db = await app.NewDbContextAsync();
        var box = await db.Boxes.AsNoTracking().SingleAsync(b => b.Code == "HOL-1");
        return new Snapshot(
            await db.DoorEvents.CountAsync(e => e.BoxId == box.Id),
            await db.PickupRequests.CountAsync(r => r.BoxId == box.Id),
            await db.OldDocumentDeposits.CountAsync(d => d.BoxId == box.Id),
            await db.BridgeCommands.CountAsync(c => c.BoxId == box.Id && c.ReportedByBox),
            await db.AuditEntries.CountAsync(a => a.Actor == "box:HOL-1" && a.Action != BridgeRefusals.AuditAction),
            await db.AuditEntries.CountAsync(a => a.Action == BridgeRefusals.AuditAction && a.Subject == "box:HOL-1"),
            box.BridgeSoftwareVersion,
            box.ReturnBinFillPercent,
            string.Join("|", box.Faults),
            box.LastHeartbeatAt is not null);
    }

    private sealed record Snapshot(
        int DoorEvents, int PickupRequests, int OldIds, int ReportedCommands, int AuditEntries, int Refusals, string? Version, int? Fill,
        string Faults, bool Heartbeat);
}
