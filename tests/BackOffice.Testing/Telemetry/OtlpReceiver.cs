using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Testing.Telemetry;

/// <summary>
/// An OTLP/HTTP receiver on loopback: a Kestrel endpoint that accepts protobuf POSTs to <c>/v1/traces</c> and
/// <c>/v1/metrics</c> and keeps each body, as a collector would receive them. Trace exports are decoded by
/// <see cref="OtlpTraceDecoder"/>; several processes may export to one receiver.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public const string TracesPath = "/v1/traces";
    public const string MetricsPath = "/v1/metrics";

    private WebApplication? _app;

    public ConcurrentQueue<(string Path, string ContentType, byte[] Body)> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/v1/{signal}", async (HttpRequest request, string signal) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            Requests.Enqueue(($"/v1/{signal}", request.ContentType ?? "", body.ToArray()));
            // An empty ExportTraceServiceResponse / ExportMetricsServiceResponse: accepted in full.
            return Results.Bytes([], "application/x-protobuf");
        });
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>Whether a trace export holds a span of that name (protobuf keeps strings as UTF-8 bytes).</summary>
    public bool ReceivedSpanNamed(string name) => Received(TracesPath, name);

    /// <summary>Whether an export to <paramref name="path"/> holds the text (a name, a metric, an attribute value).</summary>
    public bool Received(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Requests.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    /// <summary>Every span received so far, decoded, with its resource (service) and scope.</summary>
    public IReadOnlyList<ExportedSpan> Spans() =>
        [.. Requests.Where(r => r.Path == TracesPath).SelectMany(r => OtlpTraceDecoder.Decode(r.Body))];

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
