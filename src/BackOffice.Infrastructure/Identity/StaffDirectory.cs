using BackOffice.Application.Audit;
using BackOffice.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Infrastructure.Identity;

/// <summary>What the administration page shows of one staff account.</summary>
public sealed record StaffAccountSummary(
    Guid Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    DateTimeOffset? LockedOutUntil,
    DateTimeOffset? LastSignInAt);

/// <summary>Reads and maintains staff accounts for the administration page.</summary>
/// <remarks>Singleton, safe for a long-lived Blazor circuit: every call uses its own DbContext or DI scope.</remarks>
public sealed class StaffDirectory(
    IDbContextFactory<BackOfficeDbContext> contextFactory,
    IServiceScopeFactory scopeFactory,
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

        return users.Select(u => new StaffAccountSummary(
                u.Id,
                u.Email ?? u.UserName ?? "",
                u.DisplayName,
                rolesByUser[u.Id].Order().ToList(),
                u.LockoutEnd > now ? u.LockoutEnd : null,
                u.LastSignInAt))
            .ToList();
    }

    /// <summary>Lifts a sign-in lockout and resets the failed-attempt counter, audited under <paramref name="actor"/>.</summary>
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
        var succeeded = unlocked.Succeeded && reset.Succeeded;
        await audit.WriteAsync(actor, "staff.lockout_lifted", $"user:{user.UserName}", succeeded ? "ok" : "failed");
        return succeeded;
    }
}
