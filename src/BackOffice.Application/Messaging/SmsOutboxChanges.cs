namespace BackOffice.Application.Messaging;

/// <summary>
/// Tells open SMS-Ausgang pages that the outbox changed in this instance: a message was queued or queued again, sent,
/// or given up. A plain "something changed" signal; each page reads the outbox again.
/// </summary>
/// <remarks>Singleton; thread-safe. Subscribers are called on the notifying thread (the dispatcher's): they must neither block nor throw.</remarks>
public sealed class SmsOutboxChanges
{
    private readonly Lock _gate = new();
    private Action[] _subscribers = [];

    /// <summary>Calls <paramref name="onChange"/> after every change until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, onChange];
        }
        return new Subscription(this, onChange);
    }

    public void Notify()
    {
        // The array is replaced, never changed: no lock while calling out.
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber();
        }
    }

    private void Unsubscribe(Action onChange)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != onChange).ToArray();
        }
    }

    private sealed class Subscription(SmsOutboxChanges owner, Action onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(onChange);
            }
        }
    }
}
