namespace BackOffice.Domain.Operations;

/// <summary>
/// A condition at a box that staff must see: raised once when the back office notices it, open until a person resolves
/// it or the cause ends (then it resolves itself). Acknowledging says "someone is on it" without closing it.
/// </summary>
/// <remarks>
/// <see cref="CauseActive"/> is kept apart from <see cref="ResolvedAt"/>: a person may resolve an alarm while its cause
/// lasts (the door is taped shut), and the evaluator must then not raise the same alarm again until the cause has ended
/// once. At most one row per <see cref="Key"/> has its cause active (a unique index).
/// </remarks>
public sealed class Alarm
{
    public const int KeyMaxLength = 200;
    public const int SubjectMaxLength = 200;
    public const int ActorMaxLength = 200;

    public Guid Id { get; private set; }

    public AlarmKind Kind { get; private set; }

    /// <summary>The box it concerns; null for an alarm about no particular box (an SMS without a document).</summary>
    public Guid? BoxId { get; private set; }

    /// <summary>Identifies the cause, e.g. "door-open:&lt;compartment id&gt;": the same cause never raises two alarms at once.</summary>
    public string Key { get; private set; } = "";

    /// <summary>What it is about, for people: a compartment label, a fill level, a count. Never personal data.</summary>
    public string Subject { get; private set; } = "";

    public DateTimeOffset RaisedAt { get; private set; }

    public bool CauseActive { get; private set; }

    public DateTimeOffset? CauseEndedAt { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public string? AcknowledgedBy { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>"staff:&lt;user&gt;", or "system" when the cause ended.</summary>
    public string? ResolvedBy { get; private set; }

    public uint Version { get; private set; }

    public bool IsOpen => ResolvedAt is null;

    public static Alarm Raise(Guid id, AlarmKind kind, Guid? boxId, string key, string subject, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return new Alarm
        {
            Id = id,
            Kind = kind,
            BoxId = boxId,
            Key = Cut(key, KeyMaxLength),
            Subject = Cut(subject, SubjectMaxLength),
            RaisedAt = at,
            CauseActive = true,
        };
    }

    /// <summary>Someone has seen it and is on it; only an open, not yet acknowledged alarm.</summary>
    public void Acknowledge(string actor, DateTimeOffset at)
    {
        if (!IsOpen || AcknowledgedAt is not null)
        {
            throw new AlarmTransitionException(AlarmTransition.Acknowledge, IsOpen ? "already acknowledged" : "already resolved");
        }
        AcknowledgedAt = at;
        AcknowledgedBy = Cut(actor, ActorMaxLength);
    }

    /// <summary>A person closes it (the cause may still last: then it is not raised again until the cause ended once).</summary>
    public void Resolve(string actor, DateTimeOffset at)
    {
        if (!IsOpen)
        {
            throw new AlarmTransitionException(AlarmTransition.Resolve, "already resolved");
        }
        ResolvedAt = at;
        ResolvedBy = Cut(actor, ActorMaxLength);
    }

    /// <summary>The cause is gone: an open alarm resolves itself (by "system").</summary>
    public void EndCause(DateTimeOffset at)
    {
        if (!CauseActive)
        {
            throw new AlarmTransitionException(AlarmTransition.EndCause, "the cause already ended");
        }
        CauseActive = false;
        CauseEndedAt = at;
        if (IsOpen)
        {
            ResolvedAt = at;
            ResolvedBy = "system";
        }
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];
}

public enum AlarmKind
{
    /// <summary>A compartment door open longer than the configured minutes.</summary>
    DoorOpen,

    /// <summary>A box that had reported stopped sending heartbeats.</summary>
    BoxOffline,

    /// <summary>The old-ID bin at or above the configured fill level.</summary>
    BinFull,

    /// <summary>The box reports a fault of a compartment.</summary>
    CompartmentFault,

    /// <summary>Many refused pickups at one box within a short time (someone trying PINs?).</summary>
    PickupRefusals,

    /// <summary>An SMS given up: the citizen did not get it.</summary>
    SmsFailed,
}

public enum AlarmTransition
{
    Acknowledge,
    Resolve,
    EndCause,
}

/// <summary>A step the alarm's lifecycle does not allow (e.g. resolving twice); the service checks first and answers in German.</summary>
public sealed class AlarmTransitionException(AlarmTransition transition, string reason)
    : InvalidOperationException($"An alarm cannot {transition}: {reason}.")
{
    public AlarmTransition Transition { get; } = transition;
}
