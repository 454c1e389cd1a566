using BackOffice.Domain.Staff;

namespace BackOffice.Infrastructure.Identity;

/// <summary>The demo accounts created in Development only; the README lists them.</summary>
public static class DemoStaff
{
    public const string Password = "Demo-Passwort-2026";

    public static IReadOnlyList<(string Email, string DisplayName, string Role)> Accounts { get; } =
    [
        ("sachbearbeitung@demo.local", "Jana Neumann", StaffRoles.Clerk),
        ("teamleitung@demo.local", "Thomas Berger", StaffRoles.Supervisor),
        ("admin@demo.local", "Andrea Admin", StaffRoles.Admin),
    ];
}
