using BackOffice.Application.Abstractions;
using BackOffice.Domain.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Infrastructure.Identity;

/// <summary>Checks a witness's password with ASP.NET Core Identity, counting failures towards the account's lockout.</summary>
internal sealed class StaffVerification(IServiceScopeFactory scopes) : IStaffVerification
{
    private const string Refused = "Benutzername oder Passwort der zweiten Person ist falsch.";

    public async Task<StaffCheck> VerifyAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password) || userName.Length > 256 || password.Length > 256)
        {
            return new StaffCheck(null, Refused);
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            return new StaffCheck(null, Refused);
        }
        if (await users.IsLockedOutAsync(user))
        {
            return new StaffCheck(null, "Das Konto der zweiten Person ist nach zu vielen Fehlversuchen vorübergehend gesperrt.");
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user);
            return new StaffCheck(null, Refused);
        }
        var roles = await users.GetRolesAsync(user);
        if (!roles.Any(StaffRoles.All.Contains))
        {
            return new StaffCheck(null, Refused);
        }
        await users.ResetAccessFailedCountAsync(user);
        return new StaffCheck(user.UserName, null);
    }
}
