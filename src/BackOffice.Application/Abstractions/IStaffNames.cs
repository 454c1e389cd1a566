namespace BackOffice.Application.Abstractions;

/// <summary>Display names of staff accounts, for printing who did something instead of a user name.</summary>
public interface IStaffNames
{
    /// <summary>User name (as actors and the audit trail name staff) to display name, for every account.</summary>
    Task<IReadOnlyDictionary<string, string>> DisplayNamesAsync(CancellationToken cancellationToken = default);
}
