using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Identity;

/// <summary>Claim types the back office adds to a staff member's principal.</summary>
public static class StaffClaims
{
    public const string DisplayName = "backoffice:display_name";
}

/// <summary>Adds the display name to the sign-in cookie, so the header and audit trail need no database read.</summary>
public sealed class StaffClaimsPrincipalFactory(
    UserManager<StaffUser> userManager,
    RoleManager<StaffRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, StaffRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
