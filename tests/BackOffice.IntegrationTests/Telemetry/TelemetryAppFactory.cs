using System.Collections.Concurrent;
using System.Diagnostics;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing.Telemetry;
using Microsoft.AspNetCore.Hosting;
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
