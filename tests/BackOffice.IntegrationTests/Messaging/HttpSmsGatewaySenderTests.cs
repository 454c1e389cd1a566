using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BackOffice.Application.Messaging;
using BackOffice.Infrastructure.Messaging;
using BackOffice.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace BackOffice.IntegrationTests.Messaging;

/// <summary>The real HTTP adapter against a real local HTTP server standing in for the provider.</summary>
public sealed class HttpSmsGatewaySenderTests : IAsyncLifetime
{
    private const string Recipient = "+4917012345678";

    // Quotes, a backslash, umlauts, a dash, a newline and a placeholder that must not be replaced again.
    private const string Text = "Sie sagte \"Grüß Gott\" \\ – Äpfel\nPIN: 042917 {sender}";

    private FakeSmsGateway _gateway = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _gateway = await FakeSmsGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task JsonTemplate_EscapesTheValues_AndTheGatewayReadsThemBackExactly()
    {
        var result = await _gateway.CreateSender().SendAsync(Recipient, Text, Token);

        Assert.Equal(SmsSendOutcome.Accepted, result.Outcome);
        var request = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/sms", request.Path);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(Recipient, json.RootElement.GetProperty("to").GetString());
        Assert.Equal(Text, json.RootElement.GetProperty("text").GetString());
        Assert.Equal("Stadt", json.RootElement.GetProperty("from").GetString());
        Assert.Contains("Grüß", request.Body, StringComparison.Ordinal);
        Assert.Contains("\\n", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormTemplate_EncodesTheValues()
    {
        var sender = _gateway.CreateSender(s =>
        {
            s.ContentType = "application/x-www-form-urlencoded";
            s.RequestTemplate = "recipient={to}&message={text}&originator={sender}";
        });

        Assert.Equal(SmsSendOutcome.Accepted, (await sender.SendAsync(Recipient, Text, Token)).Outcome);

        var form = QueryHelpers.ParseQuery(Assert.Single(_gateway.Requests).Body);
        Assert.Equal(Recipient, form["recipient"].ToString());
        Assert.Equal(Text, form["message"].ToString());
        Assert.Equal("Stadt", form["originator"].ToString());
    }

    [Fact]
    public async Task BasicAuthentication_IsSent()
    {
        var sender = _gateway.CreateSender(s => (s.Username, s.Password) = ("stadt-api", "geheim:ä"));

        await sender.SendAsync(Recipient, Text, Token);

        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes("stadt-api:geheim:ä"));
        Assert.Equal($"Basic {expected}", Assert.Single(_gateway.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task ApiKey_IsSentInTheConfiguredHeader()
    {
        var sender = _gateway.CreateSender(s => (s.ApiKey, s.ApiKeyHeader) = ("key-123", "X-Auth-Token"));

        await sender.SendAsync(Recipient, Text, Token);

        var request = Assert.Single(_gateway.Requests);
        Assert.Equal("key-123", request.Headers["X-Auth-Token"]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task MessageId_IsReadFromTheJsonAnswer()
    {
        var first = await _gateway.CreateSender().SendAsync(Recipient, Text, Token);
        _gateway.Respond = (context, _, _) => context.Response.WriteAsync("""{"result":{"ids":[4711]}}""");
        var second = await _gateway.CreateSender(s => s.MessageIdJsonPath = "result.ids.0").SendAsync(Recipient, Text, Token);
        var third = await _gateway.CreateSender(s => s.MessageIdJsonPath = "result.missing").SendAsync(Recipient, Text, Token);

        Assert.Equal("gw-1", first.GatewayMessageId);
        Assert.Equal("4711", second.GatewayMessageId);
        Assert.Equal(SmsSendOutcome.Accepted, third.Outcome);
        Assert.Null(third.GatewayMessageId);
    }

    [Fact]
    public async Task ServerError_IsTemporary_AndTheReasonNeverRepeatsTheTextOrNumber()
    {
        // A gateway that echoes the request in its error answer.
        _gateway.Respond = async (context, request, _) =>
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync($"internal error while handling {request.Body}");
        };

        var result = await _gateway.CreateSender().SendAsync(Recipient, Text, Token);

        Assert.Equal(SmsSendOutcome.TemporaryFailure, result.Outcome);
        Assert.StartsWith("HTTP 500", result.Reason, StringComparison.Ordinal);
        Assert.Contains("internal error", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("042917", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("12345678", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Grüß", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(503)]
    public async Task RetryableStatus_IsTemporary(int status)
    {
        _gateway.Respond = (context, _, _) =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        };

        var result = await _gateway.CreateSender().SendAsync(Recipient, Text, Token);

        Assert.Equal(SmsSendOutcome.TemporaryFailure, result.Outcome);
        Assert.StartsWith($"HTTP {status}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequest_IsPermanent_WithStatusAndATrimmedSnippet()
    {
        _gateway.Respond = async (context, _, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync($"{{\"error\":\"invalid recipient\",\"detail\":\"{new string('x', 1000)}\"}}");
        };

        var result = await _gateway.CreateSender().SendAsync(Recipient, Text, Token);

        Assert.Equal(SmsSendOutcome.PermanentFailure, result.Outcome);
        Assert.StartsWith("HTTP 400", result.Reason, StringComparison.Ordinal);
        Assert.Contains("invalid recipient", result.Reason, StringComparison.Ordinal);
        Assert.True(result.Reason!.Length < 300, $"The reason is trimmed, not {result.Reason.Length} characters.");
    }

    [Fact]
    public async Task SlowGateway_BeyondTheTimeout_IsTemporary()
    {
        _gateway.Respond = async (context, _, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await context.Response.WriteAsync("{}");
        };
        var stopwatch = Stopwatch.StartNew();

        var result = await _gateway.CreateSender(s => s.Timeout = TimeSpan.FromMilliseconds(500)).SendAsync(Recipient, Text, Token);

        Assert.Equal(SmsSendOutcome.TemporaryFailure, result.Outcome);
        Assert.Contains("Zeitüberschreitung", result.Reason, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Gave up after {stopwatch.Elapsed}, not at the timeout.");
    }

    [Fact]
    public async Task ConnectionRefused_IsTemporary()
    {
        // A port nobody listens on.
        var port = FreePort.Next();
        var sender = FakeSmsGateway.CreateSender(new SmsGatewayOptions { Url = $"http://127.0.0.1:{port}/api/sms" });

        var result = await sender.SendAsync(Recipient, Text, Token);

        Assert.Equal(SmsSendOutcome.TemporaryFailure, result.Outcome);
        Assert.Contains("nicht erreichbar", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancellation_IsNotReportedAsAFailure()
    {
        _gateway.Respond = (context, _, _) => Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _gateway.CreateSender().SendAsync(Recipient, Text, cancel.Token));
    }
}
