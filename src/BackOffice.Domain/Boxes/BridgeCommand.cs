namespace BackOffice.Domain.Boxes;

/// <summary>
/// An unlock command for one compartment. Stored before it is sent; never delivered or executed after <see cref="ExpiresAt"/>.
/// </summary>
public sealed class BridgeCommand
{
    public const int DetailMaxLength = 200;

    public Guid Id { get; set; }

    public Guid BoxId { get; set; }

    public Guid CompartmentId { get; set; }

    public string CompartmentLabel { get; set; } = "";

    public CommandPurpose Purpose { get; set; }

    public CommandStatus Status { get; set; } = CommandStatus.Pending;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>What the box said about the outcome, e.g. why a door did not open.</summary>
    public string? ResultDetail { get; set; }

    /// <summary>Who asked for it: a staff member's user name, or "system".</summary>
    public string RequestedBy { get; set; } = "";

    /// <summary>Why a person opened it outside the normal flow (mandatory for service openings).</summary>
    public string? Reason { get; set; }

    /// <summary>True once the box itself reported the outcome; a server-side expiry is provisional until then.</summary>
    public bool ReportedByBox { get; set; }

    public uint Version { get; set; }

    public bool IsFinished => Status is CommandStatus.Opened or CommandStatus.Failed or CommandStatus.Expired;
}

public enum CommandPurpose
{
    Load,
    Pickup,
    Retrieve,
    Service,
}

public enum CommandStatus
{
    /// <summary>Stored; not yet handed to a connected bridge.</summary>
    Pending,

    /// <summary>Handed to the bridge's connection; no result yet.</summary>
    Delivered,
    Opened,
    Failed,
    Expired,
}
