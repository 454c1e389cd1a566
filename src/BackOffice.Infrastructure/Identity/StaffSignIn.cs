using System.Globalization;
using BackOffice.Application.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace BackOffice.Infrastructure.Identity;

/// <summary>
/// Staff sign-in with a password. An unknown address, a wrong password and a locked account (or address) get the same
/// answer (<c>false</c>) after the same work: one lookup, one password hash verification (of a dummy hash for an
/// unknown address), one audit line. Nothing the caller sees tells them apart; the audit trail does.
/// </summary>
/// <remarks>
/// Scoped, like the <see cref="SignInManager{TUser}"/> it uses to write the cookie. Lockout: <see cref="SignInLockout"/>
/// per account and client address, and the account itself after
/// <see cref="StaffIdentityOptions.MaxFailedSignInsPerAccount"/> failures from all addresses (stored on the account, so
/// it survives a restart, shown to admins, lifted with <see cref="StaffDirectory.UnlockAsync"/>).
/// </remarks>
public sealed partial class StaffSignIn(
    SignInManager<StaffUser> signInManager,
    SignInLockout lockout,
    AuditTrail audit,
    TimeProvider timeProvider,
    ILogger<StaffSignIn> logger)
{
    /// <summary>Action of the audit line written when the per-account threshold locks an account.</summary>
    public const string AccountLockedAction = "staff.locked";

    /// <summary>Checks the password and, if it is right and nothing is locked, writes the sign-in cookie.</summary>
    /// <param name="userName">The e-mail address as entered (trimmed).</param>
    /// <param name="password">Never logged, never audited.</param>
    /// <param name="clientAddress">The client's IP address, as the rate limits see it.</param>
    public async Task<bool> PasswordSignInAsync(string userName, string password, string clientAddress)
    {
        var users = signInManager.UserManager;
        var actor = AuditTrail.Staff(userName);
        var subject = $"user:{userName}";
        var client = $"client {clientAddress}";

        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            // The same hash verification a real account costs, so the time does not tell that the address is unknown.
            users.PasswordHasher.VerifyHashedPassword(new StaffUser(), lockout.DummyHash, password);
            await audit.WriteAsync(actor, "staff.signin", subject, "failed", $"{client}; unknown account");
            LogFailed(logger, userName, clientAddress);
            return false;
        }

        var addressLockedUntil = lockout.LockedUntil(user.Id, clientAddress);
        var accountLocked = await users.IsLockedOutAsync(user);
        // Always verified, even when locked: a locked answer takes as long as any other.
        var passwordRight = await users.CheckPasswordAsync(user, password);

        if (accountLocked || addressLockedUntil is not null)
        {
            // Not counted: one address must not reach the per-account threshold by posting on while it is locked.
            await audit.WriteAsync(actor, "staff.signin", subject, "locked_out",
                accountLocked ? $"{client}; account locked" : $"{client}; sign-in from this address locked");
            LogLockedOut(logger, userName, clientAddress);
            return false;
        }

        if (!passwordRight)
        {
            var failure = lockout.RecordFailure(user.Id, clientAddress);
            if (failure.AccountThresholdReached)
            {
                await LockAccountAsync(user, failure);
            }
            await audit.WriteAsync(actor, "staff.signin", subject, "failed", failure.ClientLocked
                ? $"{client}; sign-in from this address locked for {Minutes} minutes after {StaffIdentityOptions.MaxFailedSignIns} failures"
                : client);
            LogFailed(logger, userName, clientAddress);
            return false;
        }

        if (!await signInManager.CanSignInAsync(user))
        {
            await audit.WriteAsync(actor, "staff.signin", subject, "not_allowed", client);
            LogFailed(logger, userName, clientAddress);
            return false;
        }

        lockout.RecordSuccess(user.Id, clientAddress);
        await signInManager.SignInAsync(user, isPersistent: false);
        if (user.AccessFailedCount > 0)
        {
            await users.ResetAccessFailedCountAsync(user);
        }
        user.LastSignInAt = timeProvider.GetUtcNow();
        await users.UpdateAsync(user);
        await audit.WriteAsync(actor, "staff.signin", subject, "ok", client);
        LogSignedIn(logger, userName, clientAddress);
        return true;
    }

    private static int Minutes => (int)StaffIdentityOptions.LockoutDuration.TotalMinutes;

    private async Task LockAccountAsync(StaffUser user, SignInFailure failure)
    {
        var until = timeProvider.GetUtcNow() + StaffIdentityOptions.LockoutDuration;
        var locked = await signInManager.UserManager.SetLockoutEndDateAsync(user, until);
        var details = string.Create(CultureInfo.InvariantCulture,
            $"{failure.AccountFailures} failed sign-ins from {failure.Addresses} addresses within {Minutes} minutes; account locked until {until:O}");
        await audit.WriteAsync(AuditTrail.System, AccountLockedAction, $"user:{user.UserName}", locked.Succeeded ? "alert" : "failed", details);
        LogAccountLocked(logger, user.UserName ?? "", failure.AccountFailures, failure.Addresses);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff member {UserName} signed in from {ClientAddress}")]
    private static partial void LogSignedIn(ILogger logger, string userName, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {UserName} from {ClientAddress}")]
    private static partial void LogFailed(ILogger logger, string userName, string clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {UserName} from {ClientAddress}: locked out")]
    private static partial void LogLockedOut(ILogger logger, string userName, string clientAddress);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Account {UserName} locked after {Failures} failed sign-ins from {Addresses} addresses; an admin should look (staff.locked)")]
    private static partial void LogAccountLocked(ILogger logger, string userName, int failures, int addresses);
}
