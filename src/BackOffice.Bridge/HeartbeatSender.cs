using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>
/// Sends a heartbeat every <see cref="BridgeOptions.HeartbeatInterval"/> while a session is live. Not queued: a stale
/// heartbeat says nothing.
/// </summary>
/// <remarks>Singleton; <see cref="SendAsync"/> may be called from any thread.</remarks>
internal sealed partial class HeartbeatSender(
    BridgeSession session,
    ILockDriver lockDriver,
    IOptions<BridgeOptions> options,
    TimeProvider timeProvider,
    ILogger<HeartbeatSender> logger) : BackgroundService
{
    /// <summary>Sends one heartbeat now. Throws when no session is live.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        var connection = session.LiveConnection ?? throw new InvalidOperationException("The bridge is not connected.");
        var faults = lockDriver.Faults
            .Where(f => !string.IsNullOrWhiteSpace(f))
            .Select(Truncate)
            .Take(BridgeProtocol.Limits.MaxFaults)
            .ToList();
        var report = new HeartbeatReport(timeProvider.GetUtcNow(), Math.Clamp(lockDriver.ReturnBinFillPercent, 0, 100), faults);
        await connection.InvokeAsync(BridgeProtocol.ServerMethods.ReportHeartbeat, report, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, timeProvider);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!session.IsLive)
                {
                    continue;
                }
                try
                {
                    await SendAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogNotSent(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static string Truncate(string text) =>
        text.Length <= BridgeProtocol.Limits.MaxTextLength ? text : text[..BridgeProtocol.Limits.MaxTextLength];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heartbeat not sent.")]
    private static partial void LogNotSent(ILogger logger, Exception exception);
}
