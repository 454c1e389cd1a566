namespace BackOffice.Domain.Audit;

/// <summary>One line of the append-only audit trail: who did what to which object, when, with what outcome.</summary>
/// <remarks>
/// Never holds plain personal data or secrets (no PINs, keys, phone numbers). The database refuses to change or delete
/// a line; once the line is committed, it is chained to the line before it by an <see cref="AuditChainLink"/>, so a
/// line altered behind the database's back breaks the chain.
/// </remarks>
public sealed class AuditEntry
{
    public const int TextMaxLength = 200;

    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>"staff:&lt;user name&gt;", "box:&lt;code&gt;" or "system".</summary>
    public string Actor { get; set; } = "";

    /// <summary>What happened, e.g. "bridge.command.issued", "box.key.rotated".</summary>
    public string Action { get; set; } = "";

    /// <summary>The object, e.g. "box:DLZ-1", "compartment:DLZ-1/03-07", "command:&lt;id&gt;".</summary>
    public string Subject { get; set; } = "";

    /// <summary>"ok", "refused", "failed", ...</summary>
    public string Outcome { get; set; } = "";

    /// <summary>Free text for a person reading the trail.</summary>
    public string? Details { get; set; }
}
