using BackOffice.Application.Bridge;
using BackOffice.Domain.Boxes;

namespace BackOffice.Application.Telemetry;

/// <summary>
/// Counts each finished command where its outcome is applied: the box's result and the expiry both reach the observers,
/// so the metrics need no hook in the services that apply them.
/// </summary>
public sealed class CommandMetricsObserver(BackOfficeMetrics metrics) : IBridgeObserver
{
    public Task CommandFinishedAsync(BridgeCommand command, CancellationToken cancellationToken)
    {
        metrics.CommandFinished(command);
        return Task.CompletedTask;
    }

    public Task DoorChangedAsync(DoorChange change, CancellationToken cancellationToken) => Task.CompletedTask;
}
