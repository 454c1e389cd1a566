using BackOffice.Bridge.Contracts;

namespace BackOffice.Bridge;

/// <summary>Turns the configured back office address into the hub's WebSocket address.</summary>
internal static class HubAddress
{
    public static Uri FromServerUrl(string serverUrl)
    {
        if (!Uri.TryCreate(serverUrl, UriKind.Absolute, out var server))
        {
            throw new ArgumentException($"'{serverUrl}' is not an absolute address.", nameof(serverUrl));
        }
        var scheme = server.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new ArgumentException($"'{serverUrl}' must start with http://, https://, ws:// or wss://.", nameof(serverUrl)),
        };
        // Keep a path prefix (back office behind a reverse proxy under /backoffice) and append the hub path.
        var builder = new UriBuilder(server)
        {
            Scheme = scheme,
            Path = server.AbsolutePath.TrimEnd('/') + BridgeProtocol.HubPath,
            Query = "",
            Fragment = "",
        };
        return builder.Uri;
    }
}
