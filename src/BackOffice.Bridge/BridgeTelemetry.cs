using System.Diagnostics;
using BackOffice.Bridge.Contracts;

namespace BackOffice.Bridge;

/// <summary>
/// The bridge's spans: one per executed unlock, a child of the back office's span that issued it (the command's
/// <c>traceparent</c>). Tags name the command, compartment label and outcome only.
/// </summary>
internal static class BridgeTelemetry
{
    /// <summary>The name of the activity source and of the meter (<see cref="BridgeMetrics"/>).</summary>
    public const string Name = "Ausgabebox.Bridge";

    /// <summary>The <c>service.name</c> of the bridge process's exports.</summary>
    public const string ServiceName = "ausgabebox-bridge";

    /// <summary>Resource attribute naming the box (the back office's tag of the same name).</summary>
    public const string BoxTag = "ausgabebox.box.code";
    public const string CommandIdTag = "ausgabebox.command.id";
    public const string CompartmentTag = "ausgabebox.compartment.label";
    public const string OutcomeTag = "ausgabebox.command.outcome";

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Activity? StartExecution(UnlockCommand command)
    {
        // Not a child of whatever runs the hub connection: the command's own trace, or a new one.
        Activity.Current = null;
        var activity = command.TraceParent is not null && ActivityContext.TryParse(command.TraceParent, null, out var parent)
            ? ActivitySource.StartActivity("bridge.unlock", ActivityKind.Consumer, parent)
            : ActivitySource.StartActivity("bridge.unlock", ActivityKind.Consumer);
        activity?.SetTag(CommandIdTag, command.CommandId.ToString());
        activity?.SetTag(CompartmentTag, command.Compartment);
        return activity;
    }
}
