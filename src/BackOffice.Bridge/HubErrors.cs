using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace BackOffice.Bridge;

/// <summary>
/// Reads the back office's answer to a failed hub call (docs/bridge-protocol-v1.md, "Errors: refused or not processed"):
/// only the server's <c>Refused:</c> is a definitive refusal; everything else means "not processed, try again".
/// </summary>
internal static class HubErrors
{
    /// <summary>True when the server refused the call for good: sending the same thing again can never succeed.</summary>
    public static bool IsRefusal(Exception exception, out string reason)
    {
        reason = "";
        // Not a HubException: the connection failed, the server never answered.
        return exception is HubException && BridgeProtocol.Errors.IsRefusal(exception.Message, out reason);
    }
}
