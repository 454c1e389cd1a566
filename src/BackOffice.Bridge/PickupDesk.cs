using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// What the box's panel and destruction slot ask of the back office: a pickup decision (answered now or not at all)
/// and old-ID reports (queued in the outbox like door events). Phone, PIN, birth date and document numbers are never logged.
/// </summary>
/// <remarks>Singleton; thread-safe.</remarks>
internal sealed partial class PickupDesk(
    BridgeSession session,
    OutboxSender outbox,
    BridgeJournal journal,
    TimeProvider timeProvider,
    ILogger<PickupDesk> logger)
{
    /// <summary>The panel's answer when the back office cannot be asked (not connected, or the connection failed mid-request).</summary>
    public const string NotConnectedMessage = "Die Ausgabebox ist gerade nicht verbunden. Bitte versuchen Sie es in einem Moment erneut.";

    /// <summary>The panel's answer when the back office refused to handle the request for good (<c>Refused:</c>, e.g. a field too long).</summary>
    public const string RequestFailedMessage = "Die Anfrage konnte nicht bearbeitet werden. Bitte prüfen Sie Ihre Angaben oder wenden Sie sich an den Schalter.";

    /// <summary>The panel's answer when the back office could not decide now (<c>Unavailable:</c> or any other error): nothing the citizen typed is wrong.</summary>
    public const string UnavailableMessage = "Die Ausgabebox kann Ihre Anfrage gerade nicht prüfen. Bitte versuchen Sie es in einem Moment erneut.";

    public bool IsConnected => session.IsLive;

    /// <summary>
    /// Asks the back office whether the citizen at the panel may take their documents; when granted, the Unlock
    /// commands follow on the connection. Never throws except for the caller's cancellation: without a connection the
    /// answer is a refusal with <see cref="NotConnectedMessage"/>, when the server refuses the call for good one with
    /// <see cref="RequestFailedMessage"/>, when it could not process it one with <see cref="UnavailableMessage"/>.
    /// </summary>
    public async Task<PickupResponse> RequestPickupAsync(PickupRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!session.IsLive)
        {
            LogNotConnected(logger, request.RequestId);
            return Refusal(NotConnectedMessage);
        }
        try
        {
            // Queued reports first: the server has seen the old ID from the slot before the request that names it.
            switch (await outbox.FlushAsync(cancellationToken).ConfigureAwait(false))
            {
                case FlushOutcome.NotConnected:
                    LogQueueNotConnected(logger, request.RequestId);
                    return Refusal(NotConnectedMessage);
                case FlushOutcome.NotProcessed:
                    LogQueueNotProcessed(logger, request.RequestId);
                    return Refusal(UnavailableMessage);
            }
            var connection = session.LiveConnection;
            if (connection is null)
            {
                LogQueueNotConnected(logger, request.RequestId);
                return Refusal(NotConnectedMessage);
            }
            var response = await connection.InvokeAsync<PickupResponse?>(BridgeProtocol.ServerMethods.RequestPickup, request, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                LogAnsweredNothing(logger, request.RequestId);
                return Refusal(NotConnectedMessage);
            }
            // A JSON null for a list or text must not reach the panel as null.
            response = response with { Compartments = response.Compartments ?? [], Message = response.Message ?? "" };
            LogAnswered(logger, request.RequestId, response.Granted ? "granted" : "refused", response.Compartments.Count);
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (HubErrors.IsRefusal(ex, out _))
        {
            // Not the reason: the server's text may quote what was sent.
            LogRefused(logger, request.RequestId);
            return Refusal(RequestFailedMessage);
        }
        catch (HubException)
        {
            LogNotProcessed(logger, request.RequestId);
            return Refusal(UnavailableMessage);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConnectionLost(logger, request.RequestId, ex.GetType().Name);
            return Refusal(NotConnectedMessage);
        }
    }

    /// <summary>
    /// An old ID was dropped into the destruction slot; <paramref name="documentNumber"/> is what the slot's reader read
    /// (null or blank: nothing readable). Queued like door events: journaled, sent in order, kept across disconnects
    /// and restarts.
    /// </summary>
    public OldDocumentReport ReportOldDocument(string? documentNumber)
    {
        var number = string.IsNullOrWhiteSpace(documentNumber) ? null : documentNumber.Trim();
        if (number is { Length: > BridgeProtocol.Limits.MaxTextLength })
        {
            // No document number is that long: a misread, and the server would refuse the whole report.
            LogImplausibleNumber(logger, number.Length);
            number = null;
        }
        var report = new OldDocumentReport(Guid.NewGuid(), number, timeProvider.GetUtcNow());
        journal.EnqueueOldDocument(report);
        LogOldDocumentQueued(logger, report.EventId, number is null ? "number not read" : "number read");
        return report;
    }

    private static PickupResponse Refusal(string message) => new(false, [], message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup request {RequestId} not sent: not connected to the back office.")]
    private static partial void LogNotConnected(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup request {RequestId} not sent: the connection failed while sending queued reports.")]
    private static partial void LogQueueNotConnected(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup request {RequestId} not sent: the back office does not process the queued reports that must go first.")]
    private static partial void LogQueueNotProcessed(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pickup request {RequestId}: the back office answered nothing.")]
    private static partial void LogAnsweredNothing(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pickup request {RequestId}: {Answer}, {Count} compartments.")]
    private static partial void LogAnswered(ILogger logger, Guid requestId, string answer, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pickup request {RequestId} was refused by the back office.")]
    private static partial void LogRefused(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup request {RequestId}: the back office could not process it now.")]
    private static partial void LogNotProcessed(ILogger logger, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pickup request {RequestId} failed: connection lost ({Error}).")]
    private static partial void LogConnectionLost(ILogger logger, Guid requestId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Old document number of {Length} characters is implausible; reported as unread.")]
    private static partial void LogImplausibleNumber(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Old document {EventId} inserted ({Read}); queued for the back office.")]
    private static partial void LogOldDocumentQueued(ILogger logger, Guid eventId, string read);
}
