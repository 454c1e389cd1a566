namespace BackOffice.Domain.Audit;

/// <summary>
/// Chains one committed <see cref="AuditEntry"/> to the one linked before it: written by the database only, in the
/// order the lines were committed, and never changed.
/// </summary>
/// <remarks>
/// Linking after commit, not at insert, keeps every audited write from waiting for all others to commit (a lock held
/// until commit serialised them, on the clerk's unlock path among others). Decision 0024.
/// </remarks>
public sealed class AuditChainLink
{
    /// <summary>Position in the chain: 1, 2, … without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>The <see cref="AuditEntry.Id"/> of the line this link chains.</summary>
    public long EntryId { get; set; }

    /// <summary>The <see cref="Hash"/> of the link before (empty for the first).</summary>
    public string PreviousHash { get; set; } = "";

    /// <summary>SHA-256 (hex) over the previous hash, the sequence and the line's fields.</summary>
    public string Hash { get; set; } = "";
}
