using Microsoft.AspNetCore.Identity;

namespace BackOffice.Infrastructure.Identity;

/// <summary>A staff member who signs in to the back office. The user name is the work e-mail address.</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    /// <summary>Name shown in the UI and in audit records, e.g. "M. Schneider".</summary>
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>
    /// The directory's id of the person (Entra ID <c>oid</c>, another provider's <c>sub</c>) for staff who sign in with the
    /// city's directory; null for local accounts. Stable when the name or e-mail address changes.
    /// </summary>
    public string? DirectoryId { get; set; }

    /// <summary>
    /// When an admin disabled the account; null while it may sign in. A disabled account keeps its history (audit
    /// trail, reports name it) and can be enabled again; sign-in and an open page refuse it.
    /// </summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>
    /// The password is a one-time password an admin issued (new account, reset): the next sign-in must set a new one
    /// before anything else.
    /// </summary>
    public bool MustChangePassword { get; set; }

    /// <summary>
    /// The time step of the last authenticator code accepted for this account: a code is taken once, and none of an
    /// earlier step after it (RFC 6238, section 5.2), so a code seen over a shoulder or in a proxy's log is worthless.
    /// </summary>
    public long? LastAuthenticatorStep { get; set; }
}
