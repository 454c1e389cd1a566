using System.Security.Claims;
using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackOffice.Web.Security;

internal static class StaffActor
{
    /// <summary>The signed-in staff member as the audit trail names them.</summary>
    public static async Task<string> ActorAsync(this Task<AuthenticationState> state) =>
        AuditTrail.Staff((await state).User.Identity?.Name ?? "unknown");

    /// <summary>The signed-in staff member with their account id (the rules about one's own account need it).</summary>
    public static async Task<Actor> AccountActorAsync(this Task<AuthenticationState> state)
    {
        var user = (await state).User;
        return new Actor(Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty,
            AuditTrail.Staff(user.Identity?.Name ?? "unknown"));
    }
}
