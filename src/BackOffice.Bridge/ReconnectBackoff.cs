using Microsoft.AspNetCore.SignalR.Client;

namespace BackOffice.Bridge;

/// <summary>
/// Waits from <see cref="BridgeOptions.ReconnectDelays"/>, keeping the last one forever: a box never gives up.
/// A refused box key waits the longest delay every time, since only an administrator can fix it.
/// </summary>
internal sealed class ReconnectBackoff(IReadOnlyList<TimeSpan> delays) : IRetryPolicy
{
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(5);

    /// <summary>The longest configured delay: used after a refused key.</summary>
    public TimeSpan SlowestDelay => delays.Count == 0 ? Fallback : delays.Max();

    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        DelayFor(retryContext.PreviousRetryCount, retryContext.RetryReason);

    public TimeSpan DelayFor(long previousAttempts, Exception? reason)
    {
        if (delays.Count == 0)
        {
            return Fallback;
        }
        if (IsKeyRejected(reason))
        {
            return SlowestDelay;
        }
        return delays[(int)Math.Min(Math.Max(previousAttempts, 0), delays.Count - 1)];
    }

    public static bool IsKeyRejected(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BoxKeyRejectedException)
            {
                return true;
            }
        }
        return false;
    }
}
