namespace BackOffice.Bridge.Contracts;

/// <summary>Names shared by the hub and every bridge: path, method names and the allowed string values.</summary>
public static class BridgeProtocol
{
    public const string Version = "1";

    public const string HubPath = "/hubs/box";

    /// <summary>Methods the bridge calls on the server.</summary>
    public static class ServerMethods
    {
        public const string Hello = "Hello";
        public const string ReportCommandResult = "ReportCommandResult";
        public const string ReportDoor = "ReportDoor";
        public const string ReportHeartbeat = "ReportHeartbeat";
        public const string RequestPickup = "RequestPickup";
        public const string ReportOldDocument = "ReportOldDocument";
    }

    /// <summary>Methods the server calls on the bridge.</summary>
    public static class ClientMethods
    {
        public const string Unlock = "Unlock";
    }

    /// <summary>Why a compartment is unlocked.</summary>
    public static class Purposes
    {
        public const string Load = "Load";
        public const string Pickup = "Pickup";
        public const string Retrieve = "Retrieve";
        public const string Service = "Service";

        public static IReadOnlyList<string> All { get; } = [Load, Pickup, Retrieve, Service];
    }

    /// <summary>How an unlock command ended on the box.</summary>
    public static class Outcomes
    {
        public const string Opened = "Opened";
        public const string Failed = "Failed";
        public const string Expired = "Expired";

        public static IReadOnlyList<string> All { get; } = [Opened, Failed, Expired];
    }

    /// <summary>A door as the lock controller reports it.</summary>
    public static class DoorStates
    {
        public const string Open = "Open";
        public const string Closed = "Closed";

        public static IReadOnlyList<string> All { get; } = [Open, Closed];
    }

    /// <summary>
    /// What the server's error for a call says. SignalR hands it to the client inside its own sentence
    /// ("An unexpected error occurred invoking 'ReportDoor' on the server. HubException: Refused: …"), so a client
    /// looks for the marker, not at the start. "Refused:" is final: the message is wrong and will never be accepted,
    /// so the bridge drops it. "Unavailable:" (or any other error) means not processed now: the bridge keeps it and
    /// sends it again, in order, until it is accepted.
    /// </summary>
    public static class Errors
    {
        public const string RefusedPrefix = "Refused:";
        public const string UnavailablePrefix = "Unavailable:";

        // ASP.NET Core SignalR sends a HubException's text behind its own sentence.
        private const string HubExceptionMarker = "HubException: ";

        /// <summary>True when the server refused the call for good; anything else is to be sent again.</summary>
        public static bool IsRefusal(string? errorMessage) => IsRefusal(errorMessage, out _);

        /// <summary>True when the server refused the call for good; <paramref name="reason"/> is its text for people.</summary>
        public static bool IsRefusal(string? errorMessage, out string reason)
        {
            var serverText = ServerText(errorMessage);
            reason = serverText.StartsWith(RefusedPrefix, StringComparison.Ordinal) ? serverText[RefusedPrefix.Length..].Trim() : "";
            return serverText.StartsWith(RefusedPrefix, StringComparison.Ordinal);
        }

        /// <summary>True when the server said it could not process the call now.</summary>
        public static bool IsUnavailable(string? errorMessage) =>
            ServerText(errorMessage).StartsWith(UnavailablePrefix, StringComparison.Ordinal);

        private static string ServerText(string? errorMessage)
        {
            var message = errorMessage ?? "";
            var marker = message.IndexOf(HubExceptionMarker, StringComparison.Ordinal);
            return marker < 0 ? message : message[(marker + HubExceptionMarker.Length)..];
        }
    }

    /// <summary>Upper bounds the server enforces on what a bridge sends.</summary>
    public static class Limits
    {
        public const int MaxTextLength = 200;
        public const int MaxDoorsInHello = 2000;
        public const int MaxFaults = 50;
        public const int MaxMessageBytes = 256 * 1024;
    }
}
