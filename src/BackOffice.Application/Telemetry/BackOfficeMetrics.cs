using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Messaging;

namespace BackOffice.Application.Telemetry;

/// <summary>
/// The back office's own metrics, on one meter named for the product: unlock and pickup latency, commands by outcome,
/// SMS failures, and gauges for boxes online, open staff circuits, the SMS queue and open alarms.
/// </summary>
/// <remarks>
/// Singleton; thread-safe. Commands are counted where their outcome is applied (<see cref="CommandMetricsObserver"/>),
/// once per command and outcome although the box may report a result again. The gauges hold the last values
/// <see cref="TelemetryGauges"/> read.
/// </remarks>
public sealed class BackOfficeMetrics : IDisposable
{
    public const string UnlockDuration = "ausgabebox.unlock.duration";
    public const string PickupDuration = "ausgabebox.pickup.duration";
    public const string Commands = "ausgabebox.commands";
    public const string SmsFailures = "ausgabebox.sms.failures";
    public const string BoxesOnline = "ausgabebox.boxes.online";
    public const string CircuitsOpen = "ausgabebox.circuits.open";
    public const string SmsQueueLength = "ausgabebox.sms.queue.length";
    public const string AlarmsOpen = "ausgabebox.alarms.open";

    // Bounds for the in-memory bookkeeping: a box that never answers must not make it grow without end.
    private const int MaxTracked = 10_000;
    private static readonly TimeSpan TrackedFor = TimeSpan.FromHours(1);

    private static readonly double[] LatencyBuckets = [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60];

    private readonly Meter _meter;
    private readonly TimeProvider _timeProvider;
    private readonly Histogram<double> _unlockDuration;
    private readonly Histogram<double> _pickupDuration;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _smsFailures;
    private readonly ConcurrentDictionary<(Guid, CommandStatus), DateTimeOffset> _counted = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pickupRequestedAt = new();
    private int _circuits;
    private int _boxesOnline;
    private int _smsQueue;
    private int _alarmsOpen;

    public BackOfficeMetrics(TimeProvider timeProvider, IMeterFactory? meterFactory = null)
    {
        _timeProvider = timeProvider;
        _meter = meterFactory?.Create(BackOfficeTelemetry.Name) ?? new Meter(BackOfficeTelemetry.Name);
        _unlockDuration = _meter.CreateHistogram(UnlockDuration, "s", "From issuing an unlock to the box's result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _pickupDuration = _meter.CreateHistogram(PickupDuration, "s", "From a citizen's granted pickup request at the box to the door opened.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _commands = _meter.CreateCounter<long>(Commands, "{command}", "Unlock commands finished, by purpose and outcome.");
        _smsFailures = _meter.CreateCounter<long>(SmsFailures, "{message}", "SMS given up after the last attempt, by purpose.");
        _meter.CreateObservableGauge(BoxesOnline, () => Volatile.Read(ref _boxesOnline), "{box}", "Boxes whose heartbeat is current.");
        _meter.CreateObservableGauge(CircuitsOpen, () => Volatile.Read(ref _circuits), "{circuit}", "Open staff UI circuits (browser tabs).");
        _meter.CreateObservableGauge(SmsQueueLength, () => Volatile.Read(ref _smsQueue), "{message}", "SMS waiting to be sent.");
        _meter.CreateObservableGauge(AlarmsOpen, () => Volatile.Read(ref _alarmsOpen), "{alarm}", "Alarms not yet resolved.");
    }

    /// <summary>A finished command (the box's result, or the expiry): counted once per outcome, its latency recorded.</summary>
    public void CommandFinished(BridgeCommand command)
    {
        if (command.Status is CommandStatus.Pending or CommandStatus.Delivered)
        {
            return;
        }
        var now = _timeProvider.GetUtcNow();
        if (!_counted.TryAdd((command.Id, command.Status), now))
        {
            return; // The box repeated its report: already counted.
        }
        Prune(_counted, now);
        var purpose = new KeyValuePair<string, object?>(BackOfficeTelemetry.PurposeTag, command.Purpose.ToString());
        var outcome = new KeyValuePair<string, object?>(BackOfficeTelemetry.OutcomeTag, command.Status.ToString());
        _commands.Add(1, purpose, outcome);
        // Only an answer from the box measures the way there and back; an expiry measures the lifetime setting.
        if (command.ReportedByBox && command.CompletedAt is { } completed)
        {
            _unlockDuration.Record(Seconds(completed - command.CreatedAt), purpose, outcome);
        }
        if (_pickupRequestedAt.TryRemove(command.Id, out var requestedAt)
            && command.Status == CommandStatus.Opened && command.CompletedAt is { } opened)
        {
            _pickupDuration.Record(Seconds(opened - requestedAt));
        }
    }

    /// <summary>A granted pickup request issued this unlock: its door opening ends the pickup latency.</summary>
    public void PickupUnlockIssued(Guid? commandId, DateTimeOffset requestedAt)
    {
        if (commandId is { } id)
        {
            _pickupRequestedAt[id] = requestedAt;
            Prune(_pickupRequestedAt, _timeProvider.GetUtcNow());
        }
    }

    public void SmsFailed(SmsPurpose purpose) =>
        _smsFailures.Add(1, new KeyValuePair<string, object?>(BackOfficeTelemetry.SmsPurposeTag, purpose.ToString()));

    public void CircuitOpened() => Interlocked.Increment(ref _circuits);

    public void CircuitClosed() => Interlocked.Decrement(ref _circuits);

    /// <summary>The gauges' current values (read by <see cref="TelemetryGauges"/>).</summary>
    public void SetGauges(int boxesOnline, int smsQueueLength, int alarmsOpen)
    {
        Volatile.Write(ref _boxesOnline, boxesOnline);
        Volatile.Write(ref _smsQueue, smsQueueLength);
        Volatile.Write(ref _alarmsOpen, alarmsOpen);
    }

    public void Dispose() => _meter.Dispose();

    private static double Seconds(TimeSpan duration) => Math.Max(0, duration.TotalSeconds);

    private static void Prune<TKey>(ConcurrentDictionary<TKey, DateTimeOffset> entries, DateTimeOffset now) where TKey : notnull
    {
        if (entries.Count <= MaxTracked)
        {
            return;
        }
        foreach (var entry in entries.Where(e => now - e.Value > TrackedFor).ToList())
        {
            entries.TryRemove(entry.Key, out _);
        }
    }
}
