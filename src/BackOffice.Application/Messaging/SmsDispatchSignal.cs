using System.Threading.Channels;

namespace BackOffice.Application.Messaging;

/// <summary>
/// Wakes the <see cref="SmsDispatcher"/> of this instance at once instead of at its next poll. Call <see cref="Wake"/>
/// after the SaveChanges that stored new outbox messages (open SMS-Ausgang pages hear of them too). Wake-ups coalesce; none is lost while a round runs.
/// </summary>
/// <remarks>Singleton; thread-safe. Other app instances find the messages at their next poll.</remarks>
public sealed class SmsDispatchSignal(SmsOutboxChanges changes)
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Wake()
    {
        _wakeUps.Writer.TryWrite(true);
        // New or requeued messages: the SMS-Ausgang shows them at once.
        changes.Notify();
    }

    /// <summary>Completes at the next wake-up (at once if one is pending) and consumes it.</summary>
    internal async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _wakeUps.Reader.WaitToReadAsync(cancellationToken);
        while (_wakeUps.Reader.TryRead(out _))
        {
        }
    }
}
