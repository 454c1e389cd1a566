using BackOffice.Application.Abstractions;
using BackOffice.Application.Common;
using BackOffice.Domain.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BackOffice.Infrastructure.Identity;

/// <summary>
/// Checks a witness's password with the sign-in's own check and lockout (<see cref="StaffSignIn"/>), as if from an
/// address of its own: 5 wrong passwords lock the second-person check for that account, never the account's sign-in,
/// so a signed-in colleague cannot lock anyone out by typing their name here.
/// </summary>
internal sealed class StaffVerification(IServiceScopeFactory scopes) : IStaffVerification
{
    /// <summary>The "client address" second-person checks count under (shown among an account's locked addresses).</summary>
    public const string WitnessCheckAddress = "second-person-check";

    private static readonly Refusal Refused = new(RefusalCode.WitnessRefused);

    /// <summary>Local accounts: the witness's own password; a directory sign-in's confirmation cannot exist in this mode.</summary>
    public Task<StaffCheck> ConfirmAsync(WitnessProof proof, string requestedBy, WitnessPurpose purpose, CancellationToken cancellationToken = default) =>
        proof is WitnessPassword password
            ? VerifyAsync(password.UserName, password.Password, cancellationToken)
            : Task.FromResult(new StaffCheck(null, Refused));

    public async Task<StaffCheck> VerifyAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password) || userName.Length > 256 || password.Length > 256)
        {
            return new StaffCheck(null, Refused);
        }
        await using var scope = scopes.CreateAsyncScope();
        var check = await scope.ServiceProvider.GetRequiredService<StaffSignIn>()
            .CheckPasswordAsync(userName.Trim(), password, WitnessCheckAddress);
        if (check.Outcome == PasswordCheck.LockedOut)
        {
            return new StaffCheck(null, new Refusal(RefusalCode.WitnessCheckLocked));
        }
        if (check.User is not { } user || check.Outcome != PasswordCheck.Right)
        {
            return new StaffCheck(null, Refused);
        }
        var roles = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().GetRolesAsync(user);
        return roles.Any(StaffRoles.All.Contains) ? new StaffCheck(user.UserName, null) : new StaffCheck(null, Refused);
    }
}
