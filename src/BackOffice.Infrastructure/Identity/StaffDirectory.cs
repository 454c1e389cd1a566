using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Infrastructure.Identity;

/// <summary>What the administration page shows of one staff account.</summary>
/// <param name="Id">The account's id.</param>
/// <param name="Email">The work e-mail address (the user name).</param>
/// <param name="DisplayName">Name shown in the UI.</param>
/// <param name="Roles">Its roles, sorted.</param>
/// <param name="LastSignInAt">The last successful sign-in.</param>
/// <param name="LockedOutUntil">The account itself is locked (from every address) until then.</param>
/// <param name="LockedAfterFailedSignIns">
/// That lock came from <see cref="StaffIdentityOptions.MaxFailedSignInsPerAccount"/> failed sign-ins from several
/// addresses (audit line <see cref="StaffSignIn.AccountLockedAction"/>): an admin should look.
/// </param>
/// <param name="AddressLocks">Sign-in to the account is locked from some client addresses (their own failures).</param>
/// <param name="DisabledAt">When an admin disabled the account, if it is disabled.</param>
/// <param name="TwoFactorEnabled">Sign-in asks for an authenticator code.</param>
/// <param name="MustChangePassword">It still has a one-time password.</param>
/// <param name="DirectoryId">The directory's id for a staff record of the city's directory.</param>
public sealed record StaffAccountSummary(
    Guid Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset? LastSignInAt,
    bool LockedAfterFailedSignIns = false,
    AddressLocks? AddressLocks = null,
    DateTimeOffset? DisabledAt = null,
    bool TwoFactorEnabled = false,
    bool MustChangePassword = false,
    string? DirectoryId = null)
{
    public bool IsDisabled => DisabledAt is not null;

    /// <summary>A staff record of the city's directory (managed there), not a local account.</summary>
    public bool IsDirectory => DirectoryId is not null;

    /// <summary>The one role of a local account (the administration gives exactly one).</summary>
    public string? Role => Roles.Count > 0 ? Roles[0] : null;

    /// <summary>Any lock an admin can lift.</summary>
    public bool IsLocked => LockedOutUntil is not null || AddressLocks is not null;
}

/// <summary>Reads and maintains staff accounts for the administration page.</summary>
/// <remarks>Singleton, safe for a long-lived Blazor circuit: every call uses its own DbContext or DI scope.</remarks>
public sealed class StaffDirectory(
    IDbContextFactory<BackOfficeDbContext> contextFactory,
    IServiceScopeFactory scopeFactory,
    SignInLockout signInLockout,
    AuditTrail audit,
    TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<StaffAccountSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync(cancellationToken);
        var roles = await (
                from userRole in db.UserRoles
                join role in db.Roles on userRole.RoleId equals role.Id
                select new { userRole.UserId, role.Name })
            .ToListAsync(cancellationToken);
        var rolesByUser = roles.ToLookup(r => r.UserId, r => r.Name!);
        // Locks set by the per-account threshold: the audit line is written when the lock is set.
        var lockedSince = now - StaffIdentityOptions.LockoutDuration;
        var alerted = (await db.AuditEntries.AsNoTracking()
                .Where(a => a.Action == StaffSignIn.AccountLockedAction && a.At >= lockedSince)
                .Select(a => a.Subject)
                .ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var addressLocks = signInLockout.ActiveLocks();

        return users.Select(u => new StaffAccountSummary(
                u.Id,
                u.Email ?? u.UserName ?? "",
                u.DisplayName,
                rolesByUser[u.Id].Order().ToList(),
                u.LockoutEnd > now ? u.LockoutEnd : null,
                u.LastSignInAt,
                u.LockoutEnd > now && alerted.Contains($"user:{u.UserName}"),
                addressLocks.GetValueOrDefault(u.Id),
                u.DisabledAt,
                u.TwoFactorEnabled,
                u.MustChangePassword,
                u.DirectoryId))
            .ToList();
    }

    /// <summary>
    /// Lifts a sign-in lockout (of the account and of every client address) and resets the failed-attempt counters,
    /// audited under <paramref name="actor"/>.
    /// </summary>
    public async Task<bool> UnlockAsync(Guid userId, string actor)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await userManager.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return false;
        }
        var unlocked = await userManager.SetLockoutEndDateAsync(user, null);
        var reset = await userManager.ResetAccessFailedCountAsync(user);
        signInLockout.Lift(user.Id);
        var succeeded = unlocked.Succeeded && reset.Succeeded;
        await audit.WriteAsync(actor, "staff.lockout_lifted", $"user:{user.UserName}", succeeded ? "ok" : "failed");
        return succeeded;
    }
}
