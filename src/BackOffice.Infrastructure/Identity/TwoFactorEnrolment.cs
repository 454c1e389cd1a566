using BackOffice.Application.Audit;
using BackOffice.Domain.Staff;
using BackOffice.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Identity;

/// <summary>A local account's second factor as its owner sees it.</summary>
/// <param name="Enabled">Sign-in asks for a code from the authenticator app.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
/// <param name="Required">The account may not turn it off (an admin while <see cref="StaffSignInOptions.RequireAdminTwoFactor"/>).</param>
public sealed record TwoFactorStatus(bool Enabled, int RecoveryCodesLeft, bool Required);

/// <summary>What an authenticator app needs to be set up: the shared key, as text and as an <c>otpauth://</c> URI.</summary>
public sealed record AuthenticatorSetup(string Key, string Uri)
{
    /// <summary>The key in groups of four, easier to type than one long string.</summary>
    public string FormattedKey => string.Join(' ', Key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
}

/// <summary>
/// TOTP second factor (RFC 6238, ASP.NET Core Identity's authenticator token provider) for local accounts: the key,
/// its confirmation with a first code, recovery codes, turning it off, an admin's reset.
/// </summary>
/// <remarks>
/// Singleton, safe for a long-lived circuit: every call uses its own DI scope. Setting up or confirming a key writes
/// the key and the flag through the user store without a new security stamp: strengthening one's own sign-in must not
/// end the open page that did it. Turning it off or an admin's reset do change the stamp (other sessions end).
/// </remarks>
public sealed class TwoFactorEnrolment(IServiceScopeFactory scopes, AuditTrail audit, IOptions<StaffSignInOptions> options)
{
    /// <summary>The issuer the authenticator app shows next to the account.</summary>
    public const string Issuer = "Ausgabebox Back Office";

    public const int RecoveryCodeCount = 10;

    public async Task<TwoFactorStatus?> StatusAsync(Guid userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        if (await users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return null;
        }
        return new TwoFactorStatus(user.TwoFactorEnabled, await users.CountRecoveryCodesAsync(user), await IsRequiredAsync(users, user));
    }

    /// <summary>
    /// The key to enrol with: the one of an enrolment begun and not confirmed yet (a reloaded page shows the same QR
    /// code), or a new one. Null for an unknown account, an account that already has the second factor, or a
    /// directory account.
    /// </summary>
    public async Task<AuthenticatorSetup?> SetupAsync(Guid userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        if (await users.FindByIdAsync(userId.ToString()) is not { DirectoryId: null, TwoFactorEnabled: false } user)
        {
            return null;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            key = users.GenerateNewAuthenticatorKey();
            await KeyStore(scope).SetAuthenticatorKeyAsync(user, key, CancellationToken.None);
            ThrowIfFailed(await users.UpdateAsync(user));
        }
        var account = user.Email ?? user.UserName ?? user.Id.ToString();
        var uri = $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(account)}" +
                  $"?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6";
        return new AuthenticatorSetup(key, uri);
    }

    /// <summary>
    /// Confirms the enrolment with a code from the app: the second factor is on, and the new recovery codes come back
    /// (shown once). Null when the code is wrong or no enrolment is under way.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ConfirmAsync(Guid userId, string code)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await Users(scope).FindByIdAsync(userId.ToString()) is { } user
            ? await ConfirmAsync(scope.ServiceProvider, user, code, audit)
            : null;
    }

    /// <summary><see cref="ConfirmAsync(Guid, string)"/> on an account loaded in the caller's scope (the sign-in's).</summary>
    internal static async Task<IReadOnlyList<string>?> ConfirmAsync(IServiceProvider services, StaffUser user, string code, AuditTrail audit)
    {
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        if (user is not { DirectoryId: null, TwoFactorEnabled: false }
            || string.IsNullOrEmpty(await users.GetAuthenticatorKeyAsync(user))
            || !await VerifyCodeAsync(services, user, code))
        {
            return null;
        }
        await ((IUserTwoFactorStore<StaffUser>)services.GetRequiredService<IUserStore<StaffUser>>())
            .SetTwoFactorEnabledAsync(user, true, CancellationToken.None);
        ThrowIfFailed(await users.UpdateAsync(user));
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList()
            ?? throw new InvalidOperationException("Could not store the recovery codes.");
        await audit.WriteAsync(AuditTrail.Staff(user.UserName ?? ""), "staff.two_factor_enabled", $"user:{user.UserName}", "ok");
        return codes;
    }

    /// <summary>New recovery codes replace the old ones (shown once). Null without the second factor.</summary>
    public async Task<IReadOnlyList<string>?> NewRecoveryCodesAsync(Guid userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        if (await users.FindByIdAsync(userId.ToString()) is not { TwoFactorEnabled: true } user)
        {
            return null;
        }
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList();
        await audit.WriteAsync(AuditTrail.Staff(user.UserName ?? ""), "staff.recovery_codes", $"user:{user.UserName}", codes is null ? "failed" : "ok");
        return codes;
    }

    /// <summary>The owner turns the second factor off; refused (false) where it is required.</summary>
    public async Task<bool> DisableAsync(Guid userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = Users(scope);
        if (await users.FindByIdAsync(userId.ToString()) is not { TwoFactorEnabled: true } user || await IsRequiredAsync(users, user))
        {
            return false;
        }
        await RemoveAsync(scope.ServiceProvider, user);
        await audit.WriteAsync(AuditTrail.Staff(user.UserName ?? ""), "staff.two_factor_disabled", $"user:{user.UserName}", "ok");
        return true;
    }

    /// <summary>Turns the second factor off and forgets key and recovery codes (new security stamp: sessions end).</summary>
    internal static async Task RemoveAsync(IServiceProvider services, StaffUser user)
    {
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        await ((IUserTwoFactorRecoveryCodeStore<StaffUser>)services.GetRequiredService<IUserStore<StaffUser>>())
            .ReplaceCodesAsync(user, [], CancellationToken.None);
        ThrowIfFailed(await users.SetTwoFactorEnabledAsync(user, false));
        // A fresh key nobody has seen: the old phone's codes stop working, a new enrolment shows this one.
        ThrowIfFailed(await users.ResetAuthenticatorKeyAsync(user));
    }

    /// <summary>
    /// Whether <paramref name="code"/> (six digits of the authenticator app, spaces allowed) is the app's code now, and
    /// not taken before: the account's last accepted time step moves on in one conditional update, so two sign-ins racing
    /// with one code (on one instance or two) let one in.
    /// </summary>
    internal static async Task<bool> VerifyCodeAsync(IServiceProvider services, StaffUser user, string code)
    {
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        var key = await users.GetAuthenticatorKeyAsync(user);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (key is null || AuthenticatorCode.MatchingStep(key, Normalize(code), now) is not { } step)
        {
            return false;
        }
        var db = services.GetRequiredService<BackOfficeDbContext>();
        // A new stamp: a stale copy of the account saved later (Identity checks the stamp) cannot put the step back.
        var stamp = Guid.NewGuid().ToString();
        var taken = await db.Users
            .Where(u => u.Id == user.Id && (u.LastAuthenticatorStep == null || u.LastAuthenticatorStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastAuthenticatorStep, step).SetProperty(u => u.ConcurrencyStamp, stamp));
        if (taken == 0)
        {
            return false;
        }
        // The caller's copy follows, so its own save (enrolment, sign-in time) keeps the step and passes the stamp check.
        var entry = db.Entry(user);
        if (entry.State == EntityState.Detached)
        {
            (user.LastAuthenticatorStep, user.ConcurrencyStamp) = (step, stamp);
        }
        else
        {
            await entry.ReloadAsync();
        }
        return true;
    }

    internal static string Normalize(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();

    internal async Task<bool> IsRequiredAsync(UserManager<StaffUser> users, StaffUser user) =>
        options.Value.RequireAdminTwoFactor && user.DirectoryId is null && await users.IsInRoleAsync(user, StaffRoles.Admin);

    private static UserManager<StaffUser> Users(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();

    private static IUserAuthenticatorKeyStore<StaffUser> KeyStore(AsyncServiceScope scope) =>
        (IUserAuthenticatorKeyStore<StaffUser>)scope.ServiceProvider.GetRequiredService<IUserStore<StaffUser>>();

    private static void ThrowIfFailed(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not update the second factor: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
