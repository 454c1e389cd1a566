namespace BackOffice.Application.Abstractions;

/// <summary>
/// Links committed audit lines into the hash chain (the database does the hashing, in commit order). Lines are linked
/// moments after their commit; this is for the checks that must see every committed line linked first.
/// </summary>
public interface IAuditChainLinker
{
    /// <summary>Links every committed line still waiting, and returns how many it linked.</summary>
    Task<int> LinkPendingAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Lines neither linked nor waiting to be: only possible when a link or the waiting mark was removed behind the
    /// database's guards. At most <paramref name="limit"/>, lowest first.
    /// </summary>
    Task<IReadOnlyList<long>> FindUnlinkedAsync(int limit, CancellationToken cancellationToken = default);
}
