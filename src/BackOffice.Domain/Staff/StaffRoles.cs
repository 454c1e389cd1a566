namespace BackOffice.Domain.Staff;

/// <summary>The roles a staff member of the passport office can hold.</summary>
/// <remarks>Role names are stored in the database and in authentication cookies; never rename one without a migration.</remarks>
public static class StaffRoles
{
    /// <summary>Sachbearbeitung: registers, loads and hands over documents.</summary>
    public const string Clerk = "Clerk";

    /// <summary>Teamleitung: everything a clerk does, plus the dashboard, reports and service openings.</summary>
    public const string Supervisor = "Supervisor";

    /// <summary>Administration: boxes, keys, staff accounts and settings.</summary>
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Clerk, Supervisor, Admin];
}
