using System.Threading.Channels;

namespace BackOffice.Application.Operations;

/// <summary>
/// Wakes an outbox dispatcher of this instance at once instead of at its next poll; wake-ups coalesce and none is lost
/// while a round runs. Other app instances find the rows at their next poll.
/// </summary>
/// <remarks>Singleton per outbox (see the subclasses); thread-safe.</remarks>
public abstract class OutboxSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Raised after every wake-up, for pages that list the outbox.</summary>
    public event Action? Changed;

    public void Wake()
    {
        _wakeUps.Writer.TryWrite(true);
        Changed?.Invoke();
    }

    /// <summary>Tells listing pages that rows changed (a delivery recorded) without waking the dispatcher.</summary>
    public void NotifyChanged() => Changed?.Invoke();

    /// <summary>Completes at the next wake-up (at once if one is pending) and consumes it.</summary>
    internal async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _wakeUps.Reader.WaitToReadAsync(cancellationToken);
        while (_wakeUps.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>
    /// The dispatcher loop shared by the outboxes: a round every <paramref name="pollInterval"/> and at each wake-up;
    /// a round repeats while it handled a full batch.
    /// </summary>
    internal async Task RunAsync(TimeSpan pollInterval, TimeProvider timeProvider, int batchSize,
        Func<CancellationToken, Task<int>> round, Action<Exception> roundFailed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(pollInterval, timeProvider);
        // Both waits survive a round in which the other one fired: PeriodicTimer allows one waiter only.
        Task<bool>? tick = null;
        Task? wake = null;
        while (true)
        {
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            wake ??= WaitAsync(stoppingToken);
            try
            {
                if (await Task.WhenAny(tick, wake) == tick)
                {
                    if (!await tick)
                    {
                        return;
                    }
                    tick = null;
                }
                else
                {
                    await wake;
                    wake = null;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                while (await round(stoppingToken) >= batchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                roundFailed(ex);
            }
        }
    }
}

/// <summary>Wakes the <see cref="WebhookDispatcher"/>.</summary>
public sealed class WebhookSignal : OutboxSignal;

/// <summary>Wakes the <see cref="AlarmMailDispatcher"/>.</summary>
public sealed class AlarmMailSignal : OutboxSignal;

/// <summary>Which outbox table a claim is for.</summary>
public enum OutboxTable
{
    WebhookDeliveries,
    AlarmMails,
}

/// <summary>
/// Claims due rows of an outbox for this dispatcher: pending, due by <c>now</c>, oldest first. The claim moves each row's
/// next attempt to <c>lease</c>, so no other dispatcher takes it while this one delivers; the caller records the outcome
/// only if the row still carries its lease.
/// </summary>
public interface IOutboxClaims
{
    Task<IReadOnlyList<Guid>> ClaimAsync(OutboxTable table, DateTimeOffset now, DateTimeOffset lease, int batchSize,
        CancellationToken cancellationToken = default);
}

/// <summary>Retry pauses of the outboxes.</summary>
public static class Backoff
{
    /// <summary><paramref name="first"/> doubled per failed attempt so far, at most <paramref name="max"/>.</summary>
    public static TimeSpan Exponential(int attempts, TimeSpan first, TimeSpan max)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = first.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>PostgreSQL keeps microseconds: a lease must read back exactly as written, it identifies the claim.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % 10), TimeSpan.Zero);
}
