using System.Collections.Concurrent;
using System.Net;
using BackOffice.Infrastructure.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BackOffice.IntegrationTests.Messaging;

/// <summary>One request as the fake gateway received it.</summary>
public sealed record GatewayRequest(string Method, string Path, string? ContentType, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A real HTTP server on a loopback port (Kestrel) standing in for the SMS provider: records every request and answers
/// as the test says (default: 200 with a message id).
/// </summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private FakeSmsGateway(WebApplication app) => _app = app;

    public ConcurrentQueue<GatewayRequest> Requests { get; } = new();

    /// <summary>How to answer; gets the request and its 1-based number.</summary>
    public Func<HttpContext, GatewayRequest, int, Task> Respond { get; set; } = (context, _, number) =>
        context.Response.WriteAsJsonAsync(new { messages = new[] { new { id = $"gw-{number}" } } });

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeSmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app);
        app.Run(gateway.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gateway.Url = new Uri(new Uri(address), "/api/sms");
        return gateway;
    }

    /// <summary>The real adapter pointed at this server.</summary>
    public HttpSmsGatewaySender CreateSender(Action<SmsGatewayOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var settings = new SmsGatewayOptions { Url = Url.ToString(), SenderName = "Stadt", MessageIdJsonPath = "messages.0.id" };
        configure?.Invoke(settings);
        return CreateSender(settings, timeProvider);
    }

    public static HttpSmsGatewaySender CreateSender(SmsGatewayOptions settings, TimeProvider? timeProvider = null)
    {
        var httpClients = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        return new HttpSmsGatewaySender(httpClients, Options.Create(settings), timeProvider ?? TimeProvider.System,
            NullLogger<HttpSmsGatewaySender>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new GatewayRequest(
            context.Request.Method,
            context.Request.Path,
            context.Request.ContentType,
            body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        Requests.Enqueue(request);
        await Respond(context, request, Interlocked.Increment(ref _count));
    }
}
