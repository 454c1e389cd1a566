using BackOffice.Application.Audit;
using Microsoft.AspNetCore.Components.Authorization;

namespace BackOffice.Web.Security;

internal static class StaffActor
{
    /// <summary>The signed-in staff member as the audit trail names them.</summary>
    public static async Task<string> ActorAsync(this Task<AuthenticationState> state) =>
        AuditTrail.Staff((await state).User.Identity?.Name ?? "unknown");
}
