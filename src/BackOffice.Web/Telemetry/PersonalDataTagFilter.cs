using System.Diagnostics;
using OpenTelemetry;

namespace BackOffice.Web.Telemetry;

/// <summary>
/// Removes the tags of the standard instrumentation that name a person or their device (client address, user agent,
/// signed-in user) before any exporter sees a span. The product's own spans carry none of these in the first place.
/// </summary>
internal sealed class PersonalDataTagFilter : BaseProcessor<Activity>
{
    /// <summary>Tag keys never exported.</summary>
    public static IReadOnlyList<string> DeniedKeys { get; } =
    [
        "client.address", "client.port", "network.peer.address", "network.peer.port", "net.peer.ip", "http.client_ip",
        "user_agent.original", "http.user_agent", "enduser.id", "enduser.role", "user.id", "user.name", "user.email",
    ];

    public override void OnEnd(Activity data)
    {
        foreach (var key in DeniedKeys)
        {
            if (data.GetTagItem(key) is not null)
            {
                data.SetTag(key, null);
            }
        }
    }
}
