using BackOffice.Application.Audit;
using BackOffice.Domain.Staff;
using Microsoft.AspNetCore.Identity;

namespace BackOffice.Infrastructure.Identity;

/// <summary>Creates staff accounts and the fixed set of roles.</summary>
/// <remarks>Scoped, like the Identity managers it uses.</remarks>
public sealed class StaffAccountService(
    UserManager<StaffUser> userManager,
    RoleManager<StaffRole> roleManager,
    AuditTrail audit,
    TimeProvider timeProvider)
{
    /// <summary>Makes sure every role of <see cref="StaffRoles"/> exists. Safe to run on every start.</summary>
    public async Task EnsureRolesAsync()
    {
        foreach (var role in StaffRoles.All)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                ThrowIfFailed(await roleManager.CreateAsync(new StaffRole(role)), $"role {role}");
            }
        }
    }

    /// <summary>
    /// Creates an account, or reports why it cannot (password policy, duplicate e-mail, unknown role). The new account
    /// and its role are audited under <paramref name="actor"/>. With <paramref name="oneTimePassword"/> the password
    /// must be changed at the first sign-in (an admin issued it).
    /// </summary>
    public async Task<IdentityResult> CreateAsync(string email, string displayName, string password, string role, string actor,
        bool oneTimePassword = false)
    {
        if (!StaffRoles.All.Contains(role))
        {
            return IdentityResult.Failed(new IdentityError { Code = "UnknownRole", Description = $"Unbekannte Rolle '{role}'." });
        }
        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = timeProvider.GetUtcNow(),
            MustChangePassword = oneTimePassword,
        };
        var created = await userManager.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created;
        }
        var added = await userManager.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            // Leave no account without a role behind.
            await userManager.DeleteAsync(user);
            return added;
        }
        await audit.WriteAsync(actor, "staff.created", $"user:{email}", "ok", oneTimePassword ? $"role {role}; one-time password" : $"role {role}");
        return added;
    }

    /// <summary>Creates the Development demo accounts that do not exist yet.</summary>
    public async Task EnsureDemoAccountsAsync()
    {
        foreach (var (email, displayName, role) in DemoStaff.Accounts)
        {
            if (await userManager.FindByEmailAsync(email) is null)
            {
                ThrowIfFailed(await CreateAsync(email, displayName, DemoStaff.Password, role, AuditTrail.System), $"demo account {email}");
            }
        }
    }

    private static void ThrowIfFailed(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
