namespace BackOffice.Application.Operations;

/// <summary>
/// Tells open pages (the app bar's badge, the alarm list) that alarms changed in this instance: raised, acknowledged or
/// resolved. A plain "something changed" signal; each page reads again.
/// </summary>
/// <remarks>Singleton; thread-safe. Subscribers are called on the notifying thread: they must neither block nor throw.</remarks>
public sealed class AlarmChanges
{
    private readonly Lock _gate = new();
    private Action[] _subscribers = [];

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

    private sealed class Subscription(AlarmChanges owner, Action onChange) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(onChange);
    }
}
