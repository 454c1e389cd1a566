using Microsoft.AspNetCore.Identity;

namespace BackOffice.Infrastructure.Identity;

/// <summary>A staff member who signs in to the back office. The user name is the work e-mail address.</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    /// <summary>Name shown in the UI and in audit records, e.g. "M. Schneider".</summary>
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}
