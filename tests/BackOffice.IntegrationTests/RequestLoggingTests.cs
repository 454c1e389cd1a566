using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using BackOffice.Bridge.Contracts;
using BackOffice.Infrastructure.Identity;
using BackOffice.Infrastructure.Seeding;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace BackOffice.IntegrationTests;

/// <summary>
/// Serilog's request logging as the app is configured (appsettings.json): one line per request with method, path,
/// status, duration, role and box, and no key, token, PIN or phone number in any line the app writes, hub included.
/// </summary>
public class RequestLoggingTests(RequestLoggingTests.CapturingAppFactory app) : IClassFixture<RequestLoggingTests.CapturingAppFactory>
{
    private const string ApiKey = "development-only-registration-api-key-0001";

    [Fact]
    public async Task Request_IsLoggedOnOneLineWithoutQueryStringOrKeys()
    {
        app.StartServer();
        var client = app.CreateBrowserClient(app.ServerUrl);
        client.DefaultRequestHeaders.Add("X-Api-Key", "secret-key-in-a-header-000000000000");

        await client.GetAsync("/Account/Login?access_token=abx1_secret-in-the-query");

        var lines = app.Sink.Messages.ToList();
        Assert.Contains(lines, l => l.StartsWith("HTTP GET /Account/Login responded 200 in ", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Sink.Everything, l => l.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SignedInRequest_LineNamesTheRole()
    {
        using var http = StaffClient();
        await StaffSession.SignInAsync(http, DemoStaff.Accounts[0].Email, DemoStaff.Password);

        await http.GetAsync("/dokumente", TestContext.Current.CancellationToken);

        await WaitForLineAsync(l => l.StartsWith("HTTP GET /dokumente responded 200 in ", StringComparison.Ordinal)
            && l.EndsWith("(role Clerk, box -)", StringComparison.Ordinal), "the clerk's request line");
    }

    [Fact]
    public async Task Hub_NegotiateConnectAndPickup_LineNamesTheBoxAndNoSecretReachesAnyLog()
    {
        var ct = TestContext.Current.CancellationToken;
        var (bridge, _) = await app.StartOpenBoxAsync();
        var key = DemoBoxes.DevelopmentBridgeKeyDlz1;
        var ready = await ReadyDocuments.CreateAsync(app, "T22000129");
        var wrongPin = ready.Pin == "000000" ? "999999" : "000000";

        // Negotiate as the JavaScript client does it (key as access_token in the query) and as a header.
        using (var http = new HttpClient { BaseAddress = new Uri(app.ServerUrl) })
        {
            await http.PostAsync($"{BridgeProtocol.HubPath}/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(key)}", null, ct);
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, $"{BridgeProtocol.HubPath}/negotiate?negotiateVersion=1");
            negotiate.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            await http.SendAsync(negotiate, ct);
            // The registration API: its key in a header, the holder's phone number in the body.
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            var created = await http.PostAsJsonAsync("/api/v1/documents", new
            {
                type = "Passport", documentNumber = "CFGH47474", holderName = "Max Mustermann", dateOfBirth = "1980-01-02",
                mobileNumber = ready.Phone, oldDocumentNumbers = Array.Empty<string>(), applicationReference = "LOG-1", boxCode = "HOL-1",
            }, ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        // A WebSocket connect with the key in the query, as browsers must send it, closed again.
        using (var socket = new ClientWebSocket())
        {
            var hub = new UriBuilder(app.ServerUrl) { Scheme = "ws", Path = BridgeProtocol.HubPath, Query = $"access_token={Uri.EscapeDataString(key)}" }.Uri;
            await socket.ConnectAsync(hub, ct);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, ct);
        }
        // Pickups at the panel: a wrong PIN, then the right one, with the holder's phone number.
        await bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, wrongPin, "T22000129", null), ct);
        var granted = await bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, "T22000129", null), ct);
        Assert.True(granted.Granted, granted.Message);
        // The bridge's own connection (key as bearer header) ends, so its request line is written too.
        await bridge.DisposeAsync();

        await WaitForLineAsync(l => l.StartsWith($"HTTP GET {BridgeProtocol.HubPath} responded 101 in ", StringComparison.Ordinal)
            && l.EndsWith("(role Box, box DLZ-1)", StringComparison.Ordinal), "the bridge's hub connect line");
        await WaitForLineAsync(l => l.StartsWith($"HTTP POST {BridgeProtocol.HubPath}/negotiate responded 200 in ", StringComparison.Ordinal)
            && l.EndsWith("(role Box, box DLZ-1)", StringComparison.Ordinal), "the negotiate line");
        var secrets = new[] { key, ApiKey, ready.Phone, NationalForm(ready.Phone), "access_token" };
        var everything = app.Sink.Everything.ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(everything, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
        foreach (var pin in new[] { ready.Pin, wrongPin })
        {
            Assert.DoesNotContain(everything, l => Regex.IsMatch(l, $"(?<![0-9A-Za-z]){pin}(?![0-9A-Za-z])"));
        }
    }

    private HttpClient StaffClient() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(app.ServerUrl) };

    private async Task WaitForLineAsync(Func<string, bool> match, string what)
    {
        try
        {
            await BridgeAppFactory.WaitUntilAsync(() => Task.FromResult(app.Sink.Messages.Any(match)), what);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\nRequest lines:\n{string.Join('\n', app.Sink.Messages.Where(m => m.StartsWith("HTTP ", StringComparison.Ordinal)))}");
        }
    }

    /// <summary>+49171… as 0171…, the way a clerk types it.</summary>
    private static string NationalForm(string e164) => "0" + e164["+49".Length..];

    /// <summary>The real app on a loopback port, with one more Serilog sink (taken up by ReadFrom.Services) that keeps every event.</summary>
    public sealed class CapturingAppFactory : BridgeAppFactory
    {
        public CapturingSink Sink { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(Sink));
        }
    }

    /// <summary>Each event's message as the console shows it, and the message with every property and the exception.</summary>
    public sealed class CapturingSink : ILogEventSink
    {
        private static readonly MessageTemplateTextFormatter Console = new("{Message:lj}", CultureInfo.InvariantCulture);

        public ConcurrentQueue<string> Messages { get; } = new();

        public ConcurrentQueue<string> Everything { get; } = new();

        public void Emit(LogEvent logEvent)
        {
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            Console.Format(logEvent, text);
            var message = text.ToString();
            Messages.Enqueue(message);
            var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
            Everything.Enqueue($"{message} {properties} {logEvent.Exception}");
        }
    }
}
