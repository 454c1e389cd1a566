namespace BackOffice.Application.Occupancy;

/// <summary>
/// What the occupancy pages read from the <see cref="BoxMonitor"/>: a subscription to a box's (or every box's) changes,
/// the snapshot to start from, and the look-ups of the dashboard. An interface so a page can be tested against a
/// stand-in that sends its own changes.
/// </summary>
public interface IBoxMonitor
{
    /// <inheritdoc cref="BoxMonitor.Subscribe"/>
    OccupancySubscription Subscribe(Guid? boxId);

    /// <inheritdoc cref="BoxMonitor.SnapshotAsync"/>
    Task<BoxSnapshot?> SnapshotAsync(Guid boxId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.OverviewAsync"/>
    Task<IReadOnlyList<BoxOccupancy>> OverviewAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.FindBoxAsync"/>
    Task<Guid?> FindBoxAsync(string code, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.FindCompartmentOfDocumentAsync"/>
    Task<Guid?> FindCompartmentOfDocumentAsync(Guid boxId, string documentNumber, CancellationToken cancellationToken = default);
}
