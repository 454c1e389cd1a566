using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Trace;

namespace BackOffice.IntegrationTests.Telemetry;

/// <summary>
/// The real app on a loopback port with the real bridge, its spans also collected in memory, gauges read every second,
/// and its OTLP exporter pointed at a small OTLP/HTTP receiver on loopback (<see cref="OtlpReceiver"/>).
/// </summary>
public sealed class TelemetryAppFactory : BridgeAppFactory
{
    public const string MetricsToken = "development-only-metrics-token-0001-not-a-secret";

    public OtlpReceiver Receiver { get; } = new();

    /// <summary>Every span the app ended, as the exporters saw it (after the personal-data filter).</summary>
    public ConcurrentQueue<Activity> Spans { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Telemetry:OtlpEndpoint", Receiver.Url),
        new("Telemetry:GaugeInterval", "00:00:01"),
        new("Telemetry:Prometheus:Enabled", "true"),
        new("Telemetry:Prometheus:BearerToken", MetricsToken),
    ];

    public override async ValueTask InitializeAsync()
    {
        await Receiver.StartAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // As host settings: the app decides on its exporters while it registers them, before the app configuration.
        foreach (var (key, value) in ExtraSettings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new SpanSink(Spans))));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>The in-memory exporter wants a collection; a queue is safe while the app keeps ending spans.</summary>
    private sealed class SpanSink(ConcurrentQueue<Activity> queue) : ICollection<Activity>
    {
        public int Count => queue.Count;
        public bool IsReadOnly => false;
        public void Add(Activity item) => queue.Enqueue(item);
        public void Clear() => queue.Clear();
        public bool Contains(Activity item) => queue.Contains(item);
        public void CopyTo(Activity[] array, int arrayIndex) => queue.ToArray().CopyTo(array, arrayIndex);
        public bool Remove(Activity item) => throw new NotSupportedException();
        public IEnumerator<Activity> GetEnumerator() => queue.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// An OTLP/HTTP receiver on loopback: a Kestrel endpoint that accepts protobuf POSTs to <c>/v1/traces</c> and
/// <c>/v1/metrics</c> and keeps each body, as a collector would receive them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
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
    public bool ReceivedSpanNamed(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        return Requests.Any(r => r.Path == "/v1/traces" && r.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
