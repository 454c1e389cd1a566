using System.Security.Claims;
using BackOffice.Domain.Staff;

namespace BackOffice.Web.Security.SingleSignOn;

/// <summary>The back office's roles of a directory user: role names in the token, and groups mapped in configuration.</summary>
public static class DirectoryRoles
{
    /// <summary>
    /// Clerk, Supervisor and Admin as the token grants them: values of <paramref name="roleClaimTypes"/> that are role
    /// names (Entra ID app roles), and groups that <paramref name="roleMap"/> maps. Anything else is ignored.
    /// </summary>
    public static IReadOnlyList<string> From(
        IEnumerable<Claim> claims, IEnumerable<string> roleClaimTypes, string groupClaimType, IReadOnlyDictionary<string, string> roleMap)
    {
        var roleTypes = roleClaimTypes.ToHashSet(StringComparer.Ordinal);
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            if (roleTypes.Contains(claim.Type) && StaffRoles.All.Contains(claim.Value, StringComparer.Ordinal))
            {
                roles.Add(claim.Value);
            }
            if (claim.Type == groupClaimType && roleMap.TryGetValue(claim.Value, out var mapped) && StaffRoles.All.Contains(mapped, StringComparer.Ordinal))
            {
                roles.Add(mapped);
            }
        }
        return StaffRoles.All.Where(roles.Contains).ToList();
    }
}
