namespace BackOffice.Testing;

/// <summary>A clock that stands still until a test moves it (Microsoft.Extensions.TimeProvider.Testing is not on the feed).</summary>
/// <remarks>
/// Timers (<c>Task.Delay(…, timeProvider)</c>, <c>PeriodicTimer</c>, <see cref="TimeProvider.CreateTimer"/>) run on real
/// time unless <see cref="ControlsTimers"/> is set; then they fire only when <see cref="Advance"/> or
/// <see cref="SetUtcNow"/> moves the clock past their due time. Opt-in, so existing users keep real-time timers.
/// </remarks>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    /// <summary>When true, timers created from this clock fire only when the test moves the clock.</summary>
    public bool ControlsTimers { get; init; }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
        FireDueTimers();
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_gate)
        {
            _now = value;
        }
        FireDueTimers();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!ControlsTimers)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        var fireNow = false;
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }
            timer.DueAt = _now + dueTime;
            timer.Period = period;
            _timers.Add(timer);
            fireNow = dueTime <= TimeSpan.Zero;
        }
        if (fireNow)
        {
            // Like a real timer, a zero due time fires soon but never inside CreateTimer/Change itself.
            ThreadPool.QueueUserWorkItem(_ => FireDueTimers());
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private void FireDueTimers()
    {
        while (true)
        {
            ManualTimer? due = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= _now && (due is null || timer.DueAt < due.DueAt))
                    {
                        due = timer;
                    }
                }
                if (due is null)
                {
                    return;
                }
                if (due.Period > TimeSpan.Zero && due.Period != Timeout.InfiniteTimeSpan)
                {
                    due.DueAt += due.Period;
                }
                else
                {
                    _timers.Remove(due);
                }
            }
            // Outside the lock: callbacks may create or change timers.
            due.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private volatile bool _disposed;

        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed)
            {
                return false;
            }
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
