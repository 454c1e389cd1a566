using Microsoft.AspNetCore.Identity;

namespace BackOffice.Infrastructure.Identity;

/// <summary>A role from <see cref="BackOffice.Domain.Staff.StaffRoles"/>.</summary>
public sealed class StaffRole : IdentityRole<Guid>
{
    public StaffRole()
    {
    }

    public StaffRole(string name) : base(name)
    {
    }
}
