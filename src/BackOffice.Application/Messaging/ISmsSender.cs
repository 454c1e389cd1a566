namespace BackOffice.Application.Messaging;

/// <summary>Hands one SMS to whatever delivers it (the HTTP gateway, or the in-memory development sender).</summary>
/// <remarks>Implementations never log or keep the text or the number outside what their job needs.</remarks>
public interface ISmsSender
{
    /// <summary>Sends the text; answers how it went instead of throwing for gateway or network trouble.</summary>
    Task<SmsSendResult> SendAsync(string recipientE164, string text, CancellationToken cancellationToken);
}

public enum SmsSendOutcome
{
    /// <summary>The gateway took the message over.</summary>
    Accepted,

    /// <summary>Try again later: timeout, network, overload, server error.</summary>
    TemporaryFailure,

    /// <summary>Trying again will not help: the gateway refused the request.</summary>
    PermanentFailure,
}

/// <summary>What became of one send: accepted (with the gateway's id, if it gave one) or failed and why.</summary>
/// <remarks><see cref="Reason"/> never contains the message text.</remarks>
public sealed record SmsSendResult(SmsSendOutcome Outcome, string? GatewayMessageId, string? Reason)
{
    public static SmsSendResult Accepted(string? gatewayMessageId) => new(SmsSendOutcome.Accepted, gatewayMessageId, null);

    public static SmsSendResult TemporaryFailure(string reason) => new(SmsSendOutcome.TemporaryFailure, null, reason);

    public static SmsSendResult PermanentFailure(string reason) => new(SmsSendOutcome.PermanentFailure, null, reason);
}
