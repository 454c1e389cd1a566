using BackOffice.Application.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Bridge;

/// <summary>
/// Closes unlock commands that expired without an answer, and loadings whose command was never stored, every
/// <see cref="BridgeTimingOptions.SweepInterval"/>.
/// </summary>
internal sealed partial class BridgeSweeper(
    BridgeCommandService commands,
    BackOffice.Application.Documents.DocumentLoading loading,
    JobLeadership leadership,
    TimeProvider timeProvider,
    IOptions<BridgeTimingOptions> settings,
    ILogger<BridgeSweeper> logger) : BackgroundService
{
    // One instance at a time (docs/decisions/0026); the others wait to take over.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunWhileLeadingAsync(LeaderJobs.BridgeSweeper, SweepLoopAsync, stoppingToken);

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.SweepInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var expired = await commands.ExpireOverdueAsync(stoppingToken);
                if (expired > 0)
                {
                    LogExpired(logger, expired);
                }
                var orphans = await loading.AbortWithoutCommandAsync(settings.Value.CommandLifetime, stoppingToken);
                if (orphans > 0)
                {
                    LogOrphansAborted(logger, orphans);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} unlock commands expired without an answer from the box")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} loadings aborted: their unlock command was never stored")]
    private static partial void LogOrphansAborted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry sweep failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
