using BackOffice.Application.Bridge;
using BackOffice.Application.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Inventories;

/// <summary>
/// Every <see cref="BridgeTimingOptions.SweepInterval"/>: pauses inventories whose box went offline and puts back an
/// opening that never got an answer (<see cref="InventoryRuns.SweepAsync"/>).
/// </summary>
internal sealed partial class InventoryWatch(
    InventoryRuns runs,
    JobLeadership leadership,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> settings,
    ILogger<InventoryWatch> logger) : BackgroundService
{
    // One instance at a time (docs/decisions/0026); the others wait to take over.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunWhileLeadingAsync(LeaderJobs.InventoryWatch, SweepLoopAsync, stoppingToken);

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.SweepInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var paused = await runs.SweepAsync(stoppingToken);
                if (paused > 0)
                {
                    LogPaused(logger, paused);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} inventories paused: box offline or no answer to an opening")]
    private static partial void LogPaused(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inventory sweep failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
