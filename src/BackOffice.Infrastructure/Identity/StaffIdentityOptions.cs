using Microsoft.AspNetCore.Identity;

namespace BackOffice.Infrastructure.Identity;

/// <summary>Password and lockout policy for staff accounts.</summary>
public static class StaffIdentityOptions
{
    public const int MaxFailedSignIns = 5;

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
