namespace BackOffice.Domain.Boxes;

/// <summary>A pickup box (Ausgabebox) at one service point, with its compartments and its bridge.</summary>
public sealed class Box
{
    public const int CodeMaxLength = 20;
    public const int NameMaxLength = 100;
    public const int AddressMaxLength = 200;
    public const int DefaultPickupDeadlineDays = 10;

    public Guid Id { get; set; }

    /// <summary>Short code staff use, e.g. "DLZ-1". Unique.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string Address { get; set; } = "";

    /// <summary>IANA time zone of the box's location; opening hours are local to it.</summary>
    public string TimeZoneId { get; set; } = "Europe/Berlin";

    /// <summary>The box serves citizens around the clock, regardless of <see cref="OpeningHours"/>.</summary>
    public bool OpenAroundTheClock { get; set; }

    public List<OpeningPeriod> OpeningHours { get; set; } = [];

    /// <summary>Days a citizen has to pick a document up after it was loaded.</summary>
    public int PickupDeadlineDays { get; set; } = DefaultPickupDeadlineDays;

    /// <summary>
    /// Four-eyes loading: a second staff member confirms each loading with their own credentials before the door opens.
    /// Off by default.
    /// </summary>
    public bool FourEyesLoading { get; set; }

    /// <summary>SHA-256 of the bridge key (hex). The key itself is shown once and never stored.</summary>
    public string? BridgeKeyHash { get; set; }

    public DateTimeOffset? BridgeKeyIssuedAt { get; set; }

    /// <summary>Server time of the last heartbeat received from the bridge.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; set; }

    public string? BridgeSoftwareVersion { get; set; }

    /// <summary>Fill level of the old-ID destruction bin, as the box last reported it.</summary>
    public int? ReturnBinFillPercent { get; set; }

    /// <summary>Faults the box last reported (jammed door, lock controller unreachable, ...).</summary>
    public List<string> Faults { get; set; } = [];

    public List<Compartment> Compartments { get; set; } = [];

    /// <summary>Concurrency token (PostgreSQL xmin): two admins editing one box cannot overwrite each other.</summary>
    public uint Version { get; set; }

    public bool IsOnline(DateTimeOffset now, TimeSpan heartbeatTimeout) => IsOnline(LastHeartbeatAt, now, heartbeatTimeout);

    /// <summary>The one definition of "online": the box's last sign of life is no older than the heartbeat timeout.</summary>
    public static bool IsOnline(DateTimeOffset? lastHeartbeatAt, DateTimeOffset now, TimeSpan heartbeatTimeout) =>
        lastHeartbeatAt is { } last && now - last <= heartbeatTimeout;

    /// <summary>Whether citizens may use the box at <paramref name="instant"/> (local opening hours, or around the clock).</summary>
    public bool IsOpenAt(DateTimeOffset instant)
    {
        if (OpenAroundTheClock)
        {
            return true;
        }
        var local = TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));
        var time = TimeOnly.FromDateTime(local.DateTime);
        return OpeningHours.Any(p => p.Day == local.DayOfWeek && p.Opens <= time && time < p.Closes);
    }
}
