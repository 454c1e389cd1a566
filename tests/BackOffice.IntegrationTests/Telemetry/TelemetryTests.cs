using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BackOffice.Application.Messaging;
using BackOffice.Application.Pickup;
using BackOffice.Application.Telemetry;
using BackOffice.Bridge;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Documents;
using BackOffice.Domain.Messaging;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.IntegrationTests.Security;
using BackOffice.Testing;
using BackOffice.Testing.Telemetry;
using BackOffice.Web.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BackOffice.IntegrationTests.Telemetry;

/// <summary>
/// OpenTelemetry as IT operations plug it in: the unlock trace from issuing to the box's result, no personal data in
/// any span or metric, <c>/metrics</c> for Prometheus behind its token, and OTLP export to a real receiver.
/// </summary>
[Collection(TelemetryCollection.Name)]
public partial class TelemetryTests(TelemetryAppFactory app) : IClassFixture<TelemetryAppFactory>, IAsyncLifetime
{
    private const string OldNumber = "T22000137";
    private BridgeClient _bridge = null!;

    public async ValueTask InitializeAsync()
    {
        // As in PickupTests: the box's per-minute request limit must not count other tests' requests.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        (_bridge, _) = await app.StartOpenBoxAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task LoadPickupAndPinReissue_LeaveNoPersonalDataInAnySpanOrMetric()
    {
        var ct = TestContext.Current.CancellationToken;
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber);
        var document = await ReadyDocuments.GetAsync(app, ready.Id);
        Assert.Null(await app.Services.GetRequiredService<DocumentActions>().ReissuePinAsync(ready.Id, IdentityProof.IdCard, "staff:test", ct));
        var newPin = await NewPinAsync(ready, ct);
        var pickup = await _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, newPin, OldNumber, null), ct);
        Assert.True(pickup.Granted, pickup.Message);
        await Eventually.WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.PickedUp, "handed over");
        // And the registration software's call, with personal data in its body.
        using var api = new HttpClient { BaseAddress = new Uri(app.ServerUrl) };
        api.DefaultRequestHeaders.Add("X-Api-Key", AccessMatrixApp.ApiKey);
        var registered = await api.PostAsJsonAsync("/api/v1/documents", new
        {
            type = "Reisepass", documentNumber = "C7TKLM9R2", holderName = "Theodora Telemetrie", dateOfBirth = "03.04.1971",
            mobileNumber = "0170 5550123", applicationReference = $"TELE-{Guid.NewGuid():N}"[..20], boxCode = "DLZ-1",
        }, ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var metrics = await ScrapeAsync(ct);

        string[] personal =
        [
            ready.Phone, "0" + ready.Phone[3..], ready.Pin, newPin, OldNumber, document.DocumentNumber, document.HolderName,
            "12.08.1983", "1983-08-12", "C7TKLM9R2", "Theodora Telemetrie", "Theodora", "03.04.1971", "1971-04-03",
            "0170 5550123", "+491705550123", "1705550123",
        ];
        // This test's loading: the newest Load command of its compartment (another test may have used it before).
        string loadCommandId;
        await using (var db = await app.NewDbContextAsync())
        {
            loadCommandId = (await db.BridgeCommands.AsNoTracking()
                .Where(c => c.CompartmentLabel == ready.Label && c.Purpose == Domain.Boxes.CommandPurpose.Load)
                .OrderByDescending(c => c.CreatedAt).Select(c => c.Id).FirstAsync(ct)).ToString();
        }
        var spans = app.Spans.ToList();
        var load = spans.Single(s => s.OperationName == "unlock.issue" && Tag(s, BackOfficeTelemetry.CommandIdTag) == loadCommandId);
        Assert.Equal("Load", Tag(load, BackOfficeTelemetry.PurposeTag));
        Assert.Contains(spans, s => s.OperationName == "unlock.issue" && Tag(s, BackOfficeTelemetry.PurposeTag) == "Pickup");
        Assert.Contains(spans, s => s.Source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && Tag(s, "http.route") == "/api/v1/documents");
        Assert.Contains(spans, s => s.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal));
        foreach (var span in spans)
        {
            var texts = new List<(string Where, string Text)> { ("name", span.DisplayName), ("status", span.StatusDescription ?? "") };
            texts.AddRange(span.TagObjects.Select(t => ($"tag {t.Key}", Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")));
            texts.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => ($"event {e.Name} {t.Key}", Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""))));
            texts.AddRange(span.Baggage.Select(b => ($"baggage {b.Key}", b.Value ?? "")));
            foreach (var (where, text) in texts)
            {
                var found = personal.FirstOrDefault(p => text.Contains(p, StringComparison.OrdinalIgnoreCase));
                Assert.True(found is null, $"Span '{span.DisplayName}' ({span.Source.Name}) has personal data in its {where}: {text}");
            }
            Assert.DoesNotContain(span.TagObjects, t => PersonalDataTagFilter.DeniedKeys.Contains(t.Key));
        }
        Assert.DoesNotContain(personal, p => metrics.Contains(p, StringComparison.OrdinalIgnoreCase));
        // The box's result belongs to the trace of the command that asked for it.
        var result = spans.First(s => s.OperationName == "unlock.result" && Tag(s, BackOfficeTelemetry.CommandIdTag) == Tag(load, BackOfficeTelemetry.CommandIdTag));
        Assert.Equal(load.TraceId, result.TraceId);
        Assert.Equal("Opened", Tag(result, BackOfficeTelemetry.OutcomeTag));
    }

    [Fact]
    public async Task MetricsEndpoint_AfterARealUnlockAndPickup_ListsEveryMetricInPrometheusFormat()
    {
        var ct = TestContext.Current.CancellationToken;
        var ready = await ReadyDocuments.CreateAsync(app, OldNumber);
        var pickup = await _bridge.RequestPickupAsync(new PickupRequest(Guid.NewGuid(), ready.Phone, ready.Pin, OldNumber, null), ct);
        Assert.True(pickup.Granted, pickup.Message);
        await Eventually.WaitUntilAsync(async () => (await ReadyDocuments.GetAsync(app, ready.Id)).State == DocumentState.PickedUp, "handed over");
        // An SMS the gateway can never take (no text stored): given up at once, counted as a failure.
        await using (var db = await app.NewDbContextAsync())
        {
            db.OutgoingSms.Add(new OutgoingSms
            {
                Id = Guid.NewGuid(), CreatedAt = app.Clock.GetUtcNow(), Recipient = "+4917100000099", Purpose = SmsPurpose.ReadyForPickup,
                Status = SmsStatus.Pending, NextAttemptAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
        }
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(ct);

        string[] names =
        [
            "ausgabebox_unlock_duration_seconds_bucket", "ausgabebox_pickup_duration_seconds_bucket", "ausgabebox_commands_total",
            "ausgabebox_sms_failures_total", "ausgabebox_boxes_online", "ausgabebox_circuits_open", "ausgabebox_sms_queue_length",
            "ausgabebox_alarms_open",
        ];
        var text = "";
        await Eventually.WaitUntilAsync(async () =>
        {
            text = await ScrapeAsync(ct);
            // The gauges are read every second; the box's heartbeat makes it count as online.
            return names.All(n => text.Contains(n, StringComparison.Ordinal)) && BoxesOnline().IsMatch(text);
        }, "every metric is scraped and the box counts as online");
        Assert.Matches("ausgabebox_commands_total\\{[^}]*ausgabebox_command_outcome=\"Opened\"[^}]*ausgabebox_command_purpose=\"Pickup\"", text);
    }

    [Fact]
    public async Task MetricsEndpoint_WithoutTheTokenOrWithAWrongOne_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = new Uri(app.ServerUrl) };

        var anonymous = await http.GetAsync("/metrics", ct);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "development-only-metrics-token-0002-not-the-one");
        var wrongToken = await http.SendAsync(wrong, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.DoesNotContain("ausgabebox", await wrongToken.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traces_AreExportedOverOtlpHttp_ToTheConfiguredCollector()
    {
        var compartment = await app.CompartmentAsync("DLZ-1", "01-02");

        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, Domain.Boxes.CommandPurpose.Service, "staff:test",
            TestContext.Current.CancellationToken, BridgeAppFactory.ServiceReason);
        Assert.True(issue.Accepted, issue.Refusal?.ToString());
        await app.Commands.WaitForOutcomeAsync(issue.CommandId!.Value, TestContext.Current.CancellationToken);
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        await Eventually.WaitUntilAsync(() => app.Receiver.ReceivedSpanNamed("unlock.result"),
            $"the collector received the unlock's spans (it got: {string.Join(", ", app.Receiver.Requests.Select(r => $"{r.Path} {r.Body.Length} B"))})");
        var export = app.Receiver.Requests.First(r => r.Path == "/v1/traces");
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.True(app.Receiver.ReceivedSpanNamed(TelemetryWeb.ServiceName), "The export names the service.");
        Assert.True(app.Receiver.ReceivedSpanNamed(issue.CommandId.Value.ToString()), "The export carries the command id.");
    }

    [Fact]
    public async Task ServiceUnlock_TheCollectorGetsOneTraceFromBackOfficeThroughTheBridgeProcessAndBack()
    {
        var ct = TestContext.Current.CancellationToken;
        using var queues = new TempDirectory();
        // The bridge composed as its process is, exporting to the same collector as the app: as IT runs both.
        using var bridge = await StartExportingBridgeAsync("HOL-1", queues, ct);
        var compartment = await app.CompartmentAsync("HOL-1", "01-01");

        var issue = await app.Commands.IssueUnlockAsync(compartment.Id, Domain.Boxes.CommandPurpose.Service, "staff:test", ct, BridgeAppFactory.ServiceReason);
        Assert.True(issue.Accepted, issue.Refusal?.ToString());
        Assert.Equal(Domain.Boxes.CommandStatus.Opened, (await app.Commands.WaitForOutcomeAsync(issue.CommandId!.Value, ct)).Status);
        var commandId = issue.CommandId.Value.ToString();
        // Both exporters batch; flush both instead of waiting out their intervals.
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        bridge.Services.GetRequiredService<TracerProvider>().ForceFlush();
        bridge.Services.GetRequiredService<MeterProvider>().ForceFlush();

        IReadOnlyList<ExportedSpan> spans = [];
        await Eventually.WaitUntilAsync(() =>
        {
            spans = [.. app.Receiver.Spans().Where(s => s.Attribute(BackOfficeTelemetry.CommandIdTag) == commandId)];
            return new[] { "unlock.issue", "bridge.unlock", "unlock.result" }.All(n => spans.Any(s => s.Name == n));
        }, $"the collector received the command's three spans (it has: {string.Join(", ", spans.Select(s => s.Name))})");
        var issued = Assert.Single(spans, s => s.Name == "unlock.issue");
        var executed = Assert.Single(spans, s => s.Name == "bridge.unlock");
        var applied = Assert.Single(spans, s => s.Name == "unlock.result");

        Assert.Equal(TelemetryWeb.ServiceName, issued.ServiceName);
        Assert.Equal(TelemetryWeb.ServiceName, applied.ServiceName);
        Assert.Equal("ausgabebox-bridge", executed.ServiceName);
        Assert.Equal("HOL-1", executed.Resource["ausgabebox.box.code"]);
        Assert.Equal("Ausgabebox.Bridge", executed.Scope);
        // One trace: issued → executed at the box (a child of the issuing span) → applied (a child of the bridge's span).
        Assert.Equal(issued.TraceId, executed.TraceId);
        Assert.Equal(issued.TraceId, applied.TraceId);
        Assert.Equal(issued.SpanId, executed.ParentSpanId);
        Assert.Equal(executed.SpanId, applied.ParentSpanId);
        Assert.Equal(ExportedSpan.KindProducer, issued.Kind);
        Assert.Equal(ExportedSpan.KindConsumer, executed.Kind);
        Assert.Equal("Opened", executed.Attribute(BackOfficeTelemetry.OutcomeTag));
        // The bridge's attributes: ids, the label and the outcome, nothing else (no personal data, no key).
        string[] bridgeTags = [BackOfficeTelemetry.CommandIdTag, BackOfficeTelemetry.CompartmentTag, BackOfficeTelemetry.OutcomeTag];
        Assert.Equal(bridgeTags.Order(StringComparer.Ordinal), executed.Attributes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("01-01", executed.Attribute(BackOfficeTelemetry.CompartmentTag));
        // And its own metrics, over the same exporter.
        await Eventually.WaitUntilAsync(
            () => app.Receiver.Received(OtlpReceiver.MetricsPath, "ausgabebox.bridge.commands")
                && app.Receiver.Received(OtlpReceiver.MetricsPath, "ausgabebox.bridge.outbox.length"),
            "the collector received the bridge's metrics");
        await bridge.StopAsync(ct);
    }

    /// <summary>The bridge process's own composition (<see cref="BridgeHostingExtensions.AddBoxBridge"/>) with telemetry on.</summary>
    private async Task<IHost> StartExportingBridgeAsync(string boxCode, TempDirectory queues, CancellationToken ct)
    {
        var key = await app.IssueKeyAsync(boxCode);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bridge:ServerUrl"] = app.ServerUrl,
            ["Bridge:BoxKey"] = key,
            ["Bridge:LockDriver"] = BridgeOptions.SimulatorDriver,
            ["Bridge:QueuePath"] = queues.File($"queue-{Guid.NewGuid():N}.jsonl"),
            ["Bridge:HeartbeatInterval"] = "00:00:01",
            ["Simulator:OpenDelay"] = "00:00:00.030",
            ["Simulator:AutoCloseAfter"] = "00:00:00.200",
            ["Telemetry:OtlpEndpoint"] = app.Receiver.Url,
            ["Telemetry:BoxCode"] = boxCode,
        });
        builder.AddBoxBridge();
        var host = builder.Build();
        await host.StartAsync(ct);
        await Eventually.WaitUntilAsync(() => host.Services.GetRequiredService<PickupDesk>().IsConnected, $"the bridge of {boxCode} is connected");
        return host;
    }

    private async Task<string> ScrapeAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.ServerUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TelemetryAppFactory.MetricsToken);
        var response = await http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<string> NewPinAsync(ReadyDocument ready, CancellationToken ct)
    {
        var sender = app.Services.GetRequiredService<DevelopmentSmsSender>();
        await app.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(ct);
        string? pin = null;
        await Eventually.WaitUntilAsync(() =>
        {
            pin = sender.Messages.Where(m => m.Recipient == ready.Phone)
                .Select(m => ReadyDocuments.Pin().Match(m.Text).Groups[1].Value)
                .FirstOrDefault(p => p.Length == 6 && p != ready.Pin);
            return pin is not null;
        }, "the new PIN is sent");
        return pin!;
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key)?.ToString();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^ausgabebox_boxes_online(\{[^}]*\})? [1-9]")]
    private static partial System.Text.RegularExpressions.Regex BoxesOnline();
}

/// <summary>
/// The telemetry tests run alone, after the others. The OpenTelemetry SDK listens to meters by name in the whole
/// process: another test class's app, whose meter of the same name is disposed when its class ends, would end the
/// metric streams this app's <c>/metrics</c> shows. One app per process, as in production, has no such neighbour.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry, alone";
}
