namespace BackOffice.Application.Abstractions;

/// <summary>
/// One leader per named job across all app instances on one database. The infrastructure holds the claim for as long
/// as the returned <see cref="ILeadership"/> lives and its instance can prove it still holds it.
/// </summary>
public interface ILeaderElection
{
    /// <summary>Tries once to lead <paramref name="job"/>; null when another instance leads it now.</summary>
    Task<ILeadership?> TryLeadAsync(string job, CancellationToken cancellationToken = default);
}

/// <summary>Leadership of one job; disposing it hands the job back (another instance can take it at its next try).</summary>
public interface ILeadership : IAsyncDisposable
{
    /// <summary>Cancelled when the claim was lost (its database connection broke): the job must stop at once.</summary>
    CancellationToken Lost { get; }
}
