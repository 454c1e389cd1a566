namespace BackOffice.Application.Bridge;

/// <summary>The box a bridge connection authenticated as (by its key, never by what the bridge claims).</summary>
public sealed record BoxIdentity(Guid Id, string Code);
