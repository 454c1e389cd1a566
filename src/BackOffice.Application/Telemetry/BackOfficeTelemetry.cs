using System.Diagnostics;

namespace BackOffice.Application.Telemetry;

/// <summary>
/// The back office's own traces: one <see cref="ActivitySource"/> named for the product, and the only tag keys its spans
/// and metrics use. Tag values are ids, box codes, compartment labels and enum names: never a name, phone number, birth
/// date, document number, e-mail address, PIN or client address (docs/operations-telemetry.md).
/// </summary>
public static class BackOfficeTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Ausgabebox.BackOffice";

    public const string CommandIdTag = "ausgabebox.command.id";
    public const string PurposeTag = "ausgabebox.command.purpose";
    public const string OutcomeTag = "ausgabebox.command.outcome";
    public const string RefusalTag = "ausgabebox.unlock.refusal";
    public const string BoxTag = "ausgabebox.box.code";
    public const string CompartmentTag = "ausgabebox.compartment.label";
    public const string SmsPurposeTag = "ausgabebox.sms.purpose";

    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>The W3C <c>traceparent</c> of an activity, for another process to continue the trace; null without one.</summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    /// <summary>
    /// Starts a span that continues the trace named by <paramref name="traceParent"/> (sent by the other process), or a
    /// new trace when there is none or it is malformed. Never a child of the ambient activity: on a hub connection that
    /// is the WebSocket request, which lives for hours.
    /// </summary>
    public static Activity? StartContinued(string name, ActivityKind kind, string? traceParent)
    {
        Activity.Current = null;
        return traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? ActivitySource.StartActivity(name, kind, parent)
            : ActivitySource.StartActivity(name, kind);
    }
}
