using BackOffice.Application.Telemetry;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BackOffice.Web.Telemetry;

/// <summary>Counts the open staff circuits (one per browser tab) for the <c>ausgabebox.circuits.open</c> gauge.</summary>
/// <remarks>Scoped: one per circuit; opened and closed are each called once for it.</remarks>
internal sealed class CircuitMetricsHandler(BackOfficeMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
