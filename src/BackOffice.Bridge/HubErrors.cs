using Microsoft.AspNetCore.SignalR;

namespace BackOffice.Bridge;

/// <summary>
/// Reads the back office's answer to a failed hub call (docs/bridge-protocol-v1.md, "Errors: refused or not processed"):
/// only a text starting with <c>Refused:</c> is a definitive refusal; everything else means "not processed, try again".
/// </summary>
internal static class HubErrors
{
    public const string RefusedPrefix = "Refused:";

    // ASP.NET Core SignalR sends a HubException's text behind its own sentence:
    // "An unexpected error occurred invoking 'X' on the server. HubException: Refused: …".
    private const string HubExceptionMarker = "HubException: ";

    /// <summary>True when the server refused the call for good: sending the same thing again can never succeed.</summary>
    public static bool IsRefusal(Exception exception, out string reason)
    {
        reason = "";
        if (exception is not HubException)
        {
            return false; // the connection failed, the server never answered
        }
        var message = exception.Message;
        var marker = message.IndexOf(HubExceptionMarker, StringComparison.Ordinal);
        var serverText = marker < 0 ? message : message[(marker + HubExceptionMarker.Length)..];
        if (!serverText.StartsWith(RefusedPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        reason = serverText[RefusedPrefix.Length..].Trim();
        return true;
    }
}
