using Microsoft.Extensions.Hosting;

namespace BackOffice.Bridge;

/// <summary>Runs the <see cref="BridgeClient"/> for the life of the process.</summary>
internal sealed class BridgeHostedService(BridgeClient client) : BackgroundService
{
    // Connecting may take long (server down): as a background service it does not hold up the host's start.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => client.StartAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await client.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
