using System.Security.Claims;
using BackOffice.Domain.Staff;
using BackOffice.Infrastructure.Identity;
using BackOffice.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace BackOffice.Web.Components.Layout;

public partial class MainLayout
{
    private bool _drawerOpen = true;

    [Inject]
    private IStringLocalizer<SharedResource> Localizer { get; set; } = default!;

    [Inject]
    private OpenPage Page { get; set; } = default!;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;

    private static string StaffName(ClaimsPrincipal user) =>
        user.FindFirstValue(StaffClaims.DisplayName) ?? user.Identity?.Name ?? "";

    /// <summary>The most powerful role wins: an admin who is also a clerk is shown as admin.</summary>
    private string RoleLabel(ClaimsPrincipal user)
    {
        var role = new[] { StaffRoles.Admin, StaffRoles.Supervisor, StaffRoles.Clerk }.FirstOrDefault(user.IsInRole);
        return role is null ? "" : Localizer[$"Role.{role}"];
    }
}
