using BackOffice.Application.Abstractions;
using BackOffice.Application.Occupancy;
using BackOffice.Application.Operations;
using BackOffice.Domain.Messaging;
using BackOffice.Domain.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Telemetry;

/// <summary>
/// Reads the gauges every <see cref="TelemetryOptions.GaugeInterval"/>: boxes online (the box monitor's overview), SMS
/// waiting in the outbox, alarms open. A scrape then reads memory only, however often Prometheus asks.
/// </summary>
/// <remarks>Singleton hosted service; each round uses its own database context. A failed round keeps the last values.</remarks>
public sealed partial class TelemetryGauges(
    BackOfficeMetrics metrics,
    IBoxMonitor monitor,
    IAlarmCounts alarms,
    IApplicationDbContextFactory contextFactory,
    TimeProvider timeProvider,
    IOptions<TelemetryOptions> settings,
    ILogger<TelemetryGauges> logger) : BackgroundService
{
    private static readonly AlarmKind[] AllAlarmKinds = Enum.GetValues<AlarmKind>();

    /// <summary>One reading of all gauges.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var boxes = await monitor.OverviewAsync(cancellationToken);
        int queued;
        await using (var db = await contextFactory.CreateAsync(cancellationToken))
        {
            queued = await db.OutgoingSms.CountAsync(m => m.Status == SmsStatus.Pending, cancellationToken);
        }
        var open = await alarms.CountOpenAsync(AllAlarmKinds, cancellationToken);
        metrics.SetGauges(boxes.Count(b => b.Online), queued, open);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.GaugeInterval, timeProvider);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the telemetry gauges failed; the last values stay")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
