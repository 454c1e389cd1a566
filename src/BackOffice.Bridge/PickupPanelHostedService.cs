using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>Runs the <see cref="PickupPanel"/> in the bridge process when <c>Bridge:Panel:Url</c> is set.</summary>
internal sealed partial class PickupPanelHostedService(
    IOptions<BridgeOptions> options,
    PickupDesk desk,
    ILockDriver lockDriver,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private PickupPanel? _panel;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var url = options.Value.Panel.Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }
        _panel = new PickupPanel(desk, lockDriver, timeProvider, loggerFactory);
        var address = await _panel.StartAsync(url, cancellationToken).ConfigureAwait(false);
        LogPanelStarted(loggerFactory.CreateLogger<PickupPanel>(), address);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _panel?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _panel?.DisposeAsync() ?? ValueTask.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Panel simulator at {Address}: a demo page that sends real pickup requests to the back office")]
    private static partial void LogPanelStarted(ILogger logger, Uri address);
}
