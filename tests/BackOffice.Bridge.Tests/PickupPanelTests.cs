using System.Net;
using BackOffice.Bridge.Contracts;
using BackOffice.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Bridge.Tests;

/// <summary>The panel simulator page on a free loopback port, in front of a real bridge client and the fake hub.</summary>
public sealed class PickupPanelTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly FakeBackOffice _backOffice = new();
    private readonly SimulatedLockDriver _driver = new(TimeProvider.System,
        new SimulatedLockOptions { OpenDelay = TimeSpan.FromMilliseconds(10), AutoCloseAfter = null, Compartments = ["01-01", "01-02"] });
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });
    private BridgeClient _client = null!;
    private PickupPanel _panel = null!;

    public async ValueTask InitializeAsync()
    {
        await _backOffice.StartAsync();
        _client = new BridgeClient(new BridgeOptions
        {
            ServerUrl = _backOffice.Url,
            BoxKey = FakeBackOffice.Key,
            QueuePath = _directory.File("queue.jsonl"),
            SoftwareVersion = "test-1.0",
            ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(50)],
            HeartbeatInterval = TimeSpan.FromMinutes(10),
        }, _driver, TimeProvider.System, NullLogger<BridgeClient>.Instance);
        await _client.StartAsync(TestContext.Current.CancellationToken);
        _panel = new PickupPanel(_client.Desk, _driver, TimeProvider.System, NullLoggerFactory.Instance);
        _http.BaseAddress = await _panel.StartAsync("http://127.0.0.1:0", TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _panel.DisposeAsync();
        await _client.DisposeAsync();
        await _backOffice.DisposeAsync();
        _driver.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Get_ShowsTheFormAndTheDoorsWithoutScript()
    {
        using var response = await _http.GetAsync("/", TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("""<form method="post" action="/pickup">""", page, StringComparison.Ordinal);
        Assert.Contains("Mobilnummer", page, StringComparison.Ordinal);
        Assert.Contains("Geburtsdatum (TT.MM.JJJJ)", page, StringComparison.Ordinal);
        Assert.Contains("Alter Ausweis (Nummer)", page, StringComparison.Ordinal);
        Assert.Contains(">Abholen</button>", page, StringComparison.Ordinal);
        Assert.Contains("<td>01-02</td><td>geschlossen</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Tür schließen", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Post_PhonePinAndBirthDate_ReachesTheHubWithIsoDateShowsTheAnswerEncodedAndTheDoorCanBeClosed()
    {
        _backOffice.PickupAnswer = new PickupResponse(true, ["01-01"], "Fach <01-01> & offen");

        var page = await PostPickupAsync(new() { ["phone"] = "+491701234567", ["pin"] = "482913", ["birthDate"] = "07.03.1985" });

        var request = Assert.Single(_backOffice.PickupRequests);
        Assert.Equal(("+491701234567", "482913", "1985-03-07", (string?)null), (request.Phone, request.Pin, request.BirthDate, request.OldDocumentNumber));
        Assert.NotEqual(Guid.Empty, request.RequestId);
        Assert.Contains("<p>Fach &lt;01-01&gt; &amp; offen</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<01-01>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("482913", page, StringComparison.Ordinal);
        Assert.Contains("<td>01-01</td><td>offen</td>", page, StringComparison.Ordinal);
        Assert.Contains("Tür schließen", page, StringComparison.Ordinal);
        Assert.Empty(_backOffice.OldDocuments);

        using var close = await _http.PostAsync("/close-door", new FormUrlEncodedContent(new Dictionary<string, string> { ["compartment"] = "01-01" }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.SeeOther, close.StatusCode);
        Assert.Equal(BridgeProtocol.DoorStates.Closed, _driver.GetDoors().Single(d => d.Compartment == "01-01").State);
        await Eventually.WaitUntilAsync(() => _backOffice.Doors.Any(d => d.State == BridgeProtocol.DoorStates.Closed), "door closed reported");
    }

    [Fact]
    public async Task Post_OldDocumentNumber_IsReportedBeforeTheRequestThatNamesIt()
    {
        var page = await PostPickupAsync(new() { ["phone"] = "+491701234567", ["pin"] = "482913", ["oldDocumentNumber"] = "L01X00T47" });

        var arrivals = _backOffice.Arrivals.ToList();
        Assert.Equal(2, arrivals.Count);
        Assert.Equal("L01X00T47", Assert.IsType<OldDocumentReport>(arrivals[0]).DocumentNumber);
        var request = Assert.IsType<PickupRequest>(arrivals[1]);
        Assert.Equal(("L01X00T47", (string?)null), (request.OldDocumentNumber, request.BirthDate));
        Assert.Contains("Abholung nicht möglich.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BirthDateNotTtMmJjjj_ShowsAHintAndSendsNothing()
    {
        var page = await PostPickupAsync(new() { ["phone"] = "+491701234567", ["pin"] = "482913", ["birthDate"] = "1985-03-07" });

        Assert.Contains("TT.MM.JJJJ eingeben", page, StringComparison.Ordinal);
        Assert.Empty(_backOffice.PickupRequests);
    }

    [Fact]
    public async Task Post_FromAnotherOrigin_IsRefused()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "/pickup")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["phone"] = "+491701234567", ["pin"] = "482913" }),
        };
        post.Headers.Add("Origin", "https://evil.example");

        using var response = await _http.SendAsync(post, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_backOffice.PickupRequests);
    }

    private async Task<string> PostPickupAsync(Dictionary<string, string> fields)
    {
        using var response = await _http.PostAsync("/pickup", new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
