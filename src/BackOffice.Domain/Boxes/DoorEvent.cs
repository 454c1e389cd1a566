namespace BackOffice.Domain.Boxes;

/// <summary>A door opening or closing as the bridge reported it. (BoxId, EventId) is unique: a repeated report is ignored.</summary>
public sealed class DoorEvent
{
    public Guid BoxId { get; set; }

    public Guid EventId { get; set; }

    public Guid CompartmentId { get; set; }

    public DoorState State { get; set; }

    /// <summary>When it happened, by the box's clock.</summary>
    public DateTimeOffset At { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>
    /// When every consequence (loading completed, pickup handed over …) was applied. Null while that failed (database
    /// gone mid-way): the bridge repeats the event and it is applied then, however late.
    /// </summary>
    public DateTimeOffset? ProcessedAt { get; set; }
}
