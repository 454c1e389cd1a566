using System.Diagnostics.Metrics;

namespace BackOffice.Bridge;

/// <summary>
/// The bridge's own metrics (meter <see cref="BridgeTelemetry.Name"/>): commands executed by outcome, and the outbox
/// length (results, door events and old-document reports the back office has not yet accepted). Exported only by the
/// bridge process with <c>Telemetry:OtlpEndpoint</c> set; without a listener they cost nothing.
/// </summary>
/// <remarks>Singleton per bridge container; thread-safe. The meter lives as long as the container.</remarks>
internal sealed class BridgeMetrics : IDisposable
{
    public const string Commands = "ausgabebox.bridge.commands";
    public const string OutboxLength = "ausgabebox.bridge.outbox.length";

    private readonly Meter _meter = new(BridgeTelemetry.Name);
    private readonly Counter<long> _commands;

    public BridgeMetrics(BridgeJournal journal)
    {
        _commands = _meter.CreateCounter<long>(Commands, "{command}", "Unlock commands this bridge executed, by outcome (not results repeated from the journal).");
        _meter.CreateObservableGauge(OutboxLength, () => journal.UnsentCount, "{entry}", "Entries in the local journal not yet accepted by the back office.");
    }

    public void CommandExecuted(string outcome) =>
        _commands.Add(1, new KeyValuePair<string, object?>(BridgeTelemetry.OutcomeTag, outcome));

    public void Dispose() => _meter.Dispose();
}
