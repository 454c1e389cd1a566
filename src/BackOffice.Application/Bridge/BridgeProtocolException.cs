namespace BackOffice.Application.Bridge;

/// <summary>A bridge sent something the protocol does not allow; the call is refused, the connection stays.</summary>
public sealed class BridgeProtocolException(string message) : Exception(message);
