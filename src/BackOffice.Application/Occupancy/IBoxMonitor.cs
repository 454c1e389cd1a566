namespace BackOffice.Application.Occupancy;

/// <summary>
/// What the occupancy pages read from the <see cref="BoxMonitor"/>: a box (or every box's summary) live, from one call
/// that returns the state now and the later ones, and the look-ups of the dashboard. An interface so a page can be
/// tested against a stand-in that publishes its own changes.
/// </summary>
public interface IBoxMonitor
{
    /// <inheritdoc cref="BoxMonitor.WatchBoxAsync"/>
    Task<LiveFeed<BoxSnapshot>?> WatchBoxAsync(Guid boxId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.WatchOverviewAsync"/>
    Task<LiveFeed<IReadOnlyList<BoxOccupancy>>> WatchOverviewAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.OverviewAsync"/>
    Task<IReadOnlyList<BoxOccupancy>> OverviewAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.SnapshotAsync"/>
    Task<BoxSnapshot?> SnapshotAsync(Guid boxId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.FindBoxAsync"/>
    Task<Guid?> FindBoxAsync(string code, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="BoxMonitor.FindCompartmentOfDocumentAsync"/>
    Task<Guid?> FindCompartmentOfDocumentAsync(Guid boxId, string documentNumber, CancellationToken cancellationToken = default);
}
