using System.Security.Cryptography;
using BackOffice.Application.Audit;
using BackOffice.Domain.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Infrastructure.Identity;

/// <summary>Why an admin's change to a local account was refused (worded by the page, <c>Accounts.Refusal.*</c>).</summary>
public enum AccountRefusal
{
    NotFound,
    /// <summary>An admin may not disable their own account.</summary>
    SelfDisable,
    /// <summary>An admin may not take the Admin role from themselves.</summary>
    SelfDemote,
    /// <summary>The change would leave no active admin.</summary>
    LastAdmin,
    /// <summary>The account belongs to the city's directory; it is managed there.</summary>
    DirectoryAccount,
    UnknownRole,
    InvalidInput,
    DuplicateEmail,
    Failed,
}

/// <summary>The answer to an admin's change: a refusal, or success with a one-time password to show once.</summary>
public sealed record AccountResult(AccountRefusal? Refusal, string? OneTimePassword = null)
{
    public bool Succeeded => Refusal is null;

    public static AccountResult Ok(string? oneTimePassword = null) => new(null, oneTimePassword);

    public static AccountResult Refused(AccountRefusal refusal) => new(refusal);
}

/// <summary>
/// Admins manage local accounts (Verwaltung → Mitarbeiterkonten): create with a role and a one-time password, change
/// the role, disable and enable, reset the password or the second factor. Every change is audited under the admin;
/// an admin can neither disable nor demote themselves, and nobody the last active admin.
/// </summary>
/// <remarks>
/// Singleton, safe for a long-lived circuit: every call uses its own DI scope. Changes run one at a time in this process
/// (a gate), so two admins demoting each other at once cannot both pass the last-admin check. A change that should end
/// the account's open sessions (role, disable, password, second factor) renews its security stamp: the open page ends
/// at its next revalidation (<c>Security:RevalidationInterval</c>).
/// </remarks>
public sealed class LocalAccounts(IServiceScopeFactory scopes, StaffDirectory directory, AuditTrail audit, TimeProvider timeProvider) : IDisposable
{
    private const string OneTimeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates a local account with <paramref name="role"/>; its one-time password must be changed at first sign-in.</summary>
    public async Task<AccountResult> CreateAsync(string email, string displayName, string role, Actor actor)
    {
        email = email.Trim();
        displayName = displayName.Trim();
        if (!StaffRoles.All.Contains(role))
        {
            return AccountResult.Refused(AccountRefusal.UnknownRole);
        }
        if (email.Length is 0 or > 256 || !email.Contains('@', StringComparison.Ordinal) || displayName.Length is 0 or > 100)
        {
            return AccountResult.Refused(AccountRefusal.InvalidInput);
        }
        await using var scope = scopes.CreateAsyncScope();
        if (await Users(scope).FindByEmailAsync(email) is not null || await Users(scope).FindByNameAsync(email) is not null)
        {
            return AccountResult.Refused(AccountRefusal.DuplicateEmail);
        }
        var password = NewOneTimePassword();
        var created = await scope.ServiceProvider.GetRequiredService<StaffAccountService>()
            .CreateAsync(email, displayName, password, role, actor.AuditName, oneTimePassword: true);
        return created.Succeeded ? AccountResult.Ok(password) : AccountResult.Refused(AccountRefusal.Failed);
    }

    /// <summary>Gives the account <paramref name="role"/> instead of its roles.</summary>
    public Task<AccountResult> ChangeRoleAsync(Guid userId, string role, Actor actor) => ChangeAsync(userId, actor, async (scope, users, user) =>
    {
        if (!StaffRoles.All.Contains(role))
        {
            return AccountResult.Refused(AccountRefusal.UnknownRole);
        }
        var current = await users.GetRolesAsync(user);
        if (current.Count == 1 && current[0] == role)
        {
            return AccountResult.Ok();
        }
        if (current.Contains(StaffRoles.Admin) && role != StaffRoles.Admin)
        {
            if (user.Id == actor.UserId)
            {
                return AccountResult.Refused(AccountRefusal.SelfDemote);
            }
            if (user.DisabledAt is null && await ActiveAdminsAsync(users) <= 1)
            {
                return AccountResult.Refused(AccountRefusal.LastAdmin);
            }
        }
        if (current.Count > 0 && !(await users.RemoveFromRolesAsync(user, current)).Succeeded
            || !(await users.AddToRoleAsync(user, role)).Succeeded)
        {
            return AccountResult.Refused(AccountRefusal.Failed);
        }
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(actor.AuditName, "staff.role_changed", Subject(user), "ok", $"{string.Join(", ", current.Order())} -> {role}");
        return AccountResult.Ok();
    });

    /// <summary>Disables the account (it keeps its history; sign-in and open pages refuse it) or enables it again.</summary>
    public Task<AccountResult> SetDisabledAsync(Guid userId, bool disabled, Actor actor) => ChangeAsync(userId, actor, async (scope, users, user) =>
    {
        if ((user.DisabledAt is not null) == disabled)
        {
            return AccountResult.Ok();
        }
        if (disabled)
        {
            if (user.Id == actor.UserId)
            {
                return AccountResult.Refused(AccountRefusal.SelfDisable);
            }
            if (await users.IsInRoleAsync(user, StaffRoles.Admin) && await ActiveAdminsAsync(users) <= 1)
            {
                return AccountResult.Refused(AccountRefusal.LastAdmin);
            }
        }
        user.DisabledAt = disabled ? timeProvider.GetUtcNow() : null;
        // The new stamp also refuses the account's sign-in cookie at its next check, besides the open page.
        if (!(await users.UpdateSecurityStampAsync(user)).Succeeded)
        {
            return AccountResult.Refused(AccountRefusal.Failed);
        }
        await audit.WriteAsync(actor.AuditName, disabled ? "staff.disabled" : "staff.enabled", Subject(user), "ok");
        return AccountResult.Ok();
    });

    /// <summary>A new one-time password (shown once), to be changed at the next sign-in; open sessions end.</summary>
    public Task<AccountResult> ResetPasswordAsync(Guid userId, Actor actor) => ChangeAsync(userId, actor, async (scope, users, user) =>
    {
        var password = NewOneTimePassword();
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
        {
            return AccountResult.Refused(AccountRefusal.Failed);
        }
        user.MustChangePassword = true;
        await users.UpdateAsync(user);
        await audit.WriteAsync(actor.AuditName, "staff.password_reset", Subject(user), "ok", "one-time password issued");
        return AccountResult.Ok(password);
    });

    /// <summary>Turns the account's second factor off (a lost phone); an admin then enrols again at the next sign-in.</summary>
    public Task<AccountResult> ResetTwoFactorAsync(Guid userId, Actor actor) => ChangeAsync(userId, actor, async (scope, users, user) =>
    {
        await TwoFactorEnrolment.RemoveAsync(scope.ServiceProvider, user);
        await audit.WriteAsync(actor.AuditName, "staff.two_factor_reset", Subject(user), "ok");
        return AccountResult.Ok();
    });

    /// <summary>Lifts a sign-in lockout (the account's and every address's), audited.</summary>
    public async Task<AccountResult> UnlockAsync(Guid userId, Actor actor) =>
        await directory.UnlockAsync(userId, actor.AuditName) ? AccountResult.Ok() : AccountResult.Refused(AccountRefusal.NotFound);

    /// <summary>
    /// 16 characters in four groups from letters and digits that cannot be mistaken for each other (no 0/O, 1/l/I), with
    /// an upper-case and a lower-case letter and a digit, so it meets the password policy: about 93 bits.
    /// </summary>
    public static string NewOneTimePassword()
    {
        while (true)
        {
            var chars = RandomNumberGenerator.GetItems(OneTimeAlphabet.AsSpan(), 16);
            if (chars.Any(char.IsAsciiLetterUpper) && chars.Any(char.IsAsciiLetterLower) && chars.Any(char.IsAsciiDigit))
            {
                return string.Join('-', chars.Chunk(4).Select(c => new string(c)));
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<AccountResult> ChangeAsync(Guid userId, Actor actor,
        Func<AsyncServiceScope, UserManager<StaffUser>, StaffUser, Task<AccountResult>> change)
    {
        await _gate.WaitAsync();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = Users(scope);
            if (await users.FindByIdAsync(userId.ToString()) is not { } user)
            {
                return AccountResult.Refused(AccountRefusal.NotFound);
            }
            if (user.DirectoryId is not null)
            {
                return AccountResult.Refused(AccountRefusal.DirectoryAccount);
            }
            var result = await change(scope, users, user);
            if (!result.Succeeded)
            {
                await audit.WriteAsync(actor.AuditName, "staff.change_refused", Subject(user), "refused", result.Refusal.ToString());
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<int> ActiveAdminsAsync(UserManager<StaffUser> users) =>
        (await users.GetUsersInRoleAsync(StaffRoles.Admin)).Count(u => u.DisabledAt is null);

    private static string Subject(StaffUser user) => $"user:{user.UserName}";

    private static UserManager<StaffUser> Users(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
}

/// <summary>The admin making a change: their account id (for the rules about oneself) and their audit name.</summary>
public sealed record Actor(Guid UserId, string AuditName);
