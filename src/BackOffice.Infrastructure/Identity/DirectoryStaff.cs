using BackOffice.Domain.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Infrastructure.Identity;

/// <summary>A person as the city's directory describes them at sign-in.</summary>
/// <param name="DirectoryId">Entra ID's <c>oid</c> or the provider's <c>sub</c>.</param>
/// <param name="Email">E-mail address or <c>preferred_username</c>, if the token carries one.</param>
/// <param name="DisplayName">The <c>name</c> claim, if any.</param>
/// <param name="Roles">Back-office roles already mapped from the token (<c>roles</c>, groups).</param>
public sealed record DirectoryAccount(string DirectoryId, string? Email, string? DisplayName, IReadOnlyList<string> Roles);

/// <summary>
/// Keeps one staff record per directory user, created or updated at each sign-in, so the audit trail, reports and the
/// four-eyes checks name real people (<see cref="BackOffice.Application.Abstractions.IStaffNames"/> reads these records).
/// </summary>
/// <remarks>
/// Scoped, like the Identity managers. A local account with the same e-mail address and no directory id yet is adopted
/// (an office switching from local accounts keeps its history under the same name); the roles stored are the token's,
/// so the administration page and the security stamp follow the directory.
/// </remarks>
public sealed class DirectoryStaff(UserManager<StaffUser> users, TimeProvider timeProvider)
{
    public async Task<StaffUser> UpsertAsync(DirectoryAccount account)
    {
        var user = await users.Users.SingleOrDefaultAsync(u => u.DirectoryId == account.DirectoryId);
        if (user is null && account.Email is { Length: > 0 } email)
        {
            var byEmail = await users.FindByNameAsync(email);
            if (byEmail is { DirectoryId: null })
            {
                user = byEmail;
                user.DirectoryId = account.DirectoryId;
            }
        }
        var now = timeProvider.GetUtcNow();
        if (user is null)
        {
            user = new StaffUser
            {
                DirectoryId = account.DirectoryId,
                UserName = await FreeUserNameAsync(account, null),
                Email = account.Email,
                EmailConfirmed = true,
                DisplayName = Shorten(account.DisplayName ?? account.Email ?? account.DirectoryId),
                CreatedAt = now,
                LastSignInAt = now,
            };
            ThrowIfFailed(await users.CreateAsync(user), "create");
        }
        else
        {
            user.UserName = await FreeUserNameAsync(account, user);
            user.Email = account.Email ?? user.Email;
            user.DisplayName = Shorten(account.DisplayName ?? user.DisplayName);
            user.LastSignInAt = now;
            ThrowIfFailed(await users.UpdateAsync(user), "update");
        }

        var current = await users.GetRolesAsync(user);
        var wanted = account.Roles.Where(StaffRoles.All.Contains).ToList();
        var removed = current.Except(wanted, StringComparer.Ordinal).ToList();
        var added = wanted.Except(current, StringComparer.Ordinal).ToList();
        if (removed.Count > 0)
        {
            ThrowIfFailed(await users.RemoveFromRolesAsync(user, removed), "remove roles");
        }
        if (added.Count > 0)
        {
            ThrowIfFailed(await users.AddToRolesAsync(user, added), "add roles");
        }
        if (removed.Count > 0 || added.Count > 0)
        {
            // Another open session of this person revalidates against the new roles.
            await users.UpdateSecurityStampAsync(user);
        }
        return user;
    }

    /// <summary>The e-mail address as user name, unless another record holds it; then the directory id.</summary>
    private async Task<string> FreeUserNameAsync(DirectoryAccount account, StaffUser? self)
    {
        if (account.Email is { Length: > 0 } email && email.Length <= 256)
        {
            var holder = await users.FindByNameAsync(email);
            if (holder is null || holder.Id == self?.Id)
            {
                return email;
            }
        }
        return account.DirectoryId;
    }

    private static string Shorten(string name) => name.Length <= 100 ? name : name[..100];

    private static void ThrowIfFailed(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not {what} the staff record of a directory user: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
