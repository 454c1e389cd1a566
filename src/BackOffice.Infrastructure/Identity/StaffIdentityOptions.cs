using Microsoft.AspNetCore.Identity;

namespace BackOffice.Infrastructure.Identity;

/// <summary>Password and lockout policy for staff accounts.</summary>
public static class StaffIdentityOptions
{
    /// <summary>
    /// Wrong passwords for one account from one client address within <see cref="LockoutDuration"/> before sign-in to
    /// that account from that address is locked for <see cref="LockoutDuration"/> (<see cref="SignInLockout"/>). Identity's
    /// own count is not used: nothing calls <c>AccessFailedAsync</c>, so only <see cref="StaffSignIn"/> locks accounts.
    /// </summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>
    /// Wrong passwords for one account from all addresses within <see cref="LockoutDuration"/> before the account itself
    /// is locked for <see cref="LockoutDuration"/> and the admins are alerted (audit line <c>staff.locked</c>, the
    /// administration page). One address alone cannot reach it: it is locked after 5.
    /// </summary>
    public const int MaxFailedSignInsPerAccount = 20;

    public static TimeSpan LockoutDuration { get; } = TimeSpan.FromMinutes(15);

    public static void Configure(IdentityOptions options)
    {
        // Length over complexity (BSI / NIST guidance), with a mix of cases and a digit.
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = true;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 5;

        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;

        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedAccount = false;
    }
}
