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
        var actor = AuditTrail.Staff(userName);
        var subject = $"user:{userName}";
        var details = $"client {clientAddress}";

        var check = await CheckPasswordAsync(userName, password, clientAddress);
        if (check.User is null || check.Outcome != PasswordCheck.Right)
        {
            await audit.WriteAsync(actor, "staff.signin", subject, check.Outcome, check.Details is null ? details : $"{details}; {check.Details}");
            if (check.Outcome == PasswordCheck.LockedOut)
            {
                LogLockedOut(logger, userName, clientAddress);
            }
            else
            {
                LogFailed(logger, userName, clientAddress);
            }
            return false;
        }
        var user = check.User;
        if (!await signInManager.CanSignInAsync(user))
        {
            await audit.WriteAsync(actor, "staff.signin", subject, "not_allowed", details);
            LogFailed(logger, userName, clientAddress);
            return false;
        }

        await signInManager.SignInAsync(user, isPersistent: false);
        user.LastSignInAt = timeProvider.GetUtcNow();
        await signInManager.UserManager.UpdateAsync(user);
        await audit.WriteAsync(actor, "staff.signin", subject, "ok", details);
        LogSignedIn(logger, userName, clientAddress);
        return true;
    }

    /// <summary>
    /// The password check behind <see cref="PasswordSignInAsync"/> and the second person's check
    /// (<see cref="StaffVerification"/>), with the lockout: one lookup and one hash verification whatever the outcome.
    /// Writes no audit line of its own, except <see cref="AccountLockedAction"/> when the account gets locked.
    /// </summary>
    /// <param name="userName">The user name as entered (trimmed).</param>
    /// <param name="password">Never logged, never audited.</param>
    /// <param name="clientAddress">Where the attempt comes from; locks are per account and this address.</param>
    internal async Task<PasswordCheck> CheckPasswordAsync(string userName, string password, string clientAddress)
    {
        var users = signInManager.UserManager;
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            // The same hash verification a real account costs, so the time does not tell that the address is unknown.
            users.PasswordHasher.VerifyHashedPassword(new StaffUser(), lockout.DummyHash, password);
            return new PasswordCheck(null, PasswordCheck.Failed, "unknown account");
        }

        var addressLocked = lockout.LockedUntil(user.Id, clientAddress) is not null;
        var accountLocked = await users.IsLockedOutAsync(user);
        // Always verified, even when locked: a locked answer takes as long as any other.
        var passwordRight = await users.CheckPasswordAsync(user, password);

        if (accountLocked || addressLocked)
        {
            // Not counted: one address must not reach the per-account threshold by posting on while it is locked.
            return new PasswordCheck(user, PasswordCheck.LockedOut, accountLocked ? "account locked" : "sign-in from this address locked");
        }
        if (!passwordRight)
        {
            var failure = lockout.RecordFailure(user.Id, clientAddress);
            if (failure.AccountThresholdReached)
            {
                await LockAccountAsync(user, failure);
            }
            return new PasswordCheck(user, PasswordCheck.Failed, failure.ClientLocked
                ? $"sign-in from this address locked for {Minutes} minutes after {StaffIdentityOptions.MaxFailedSignIns} failures"
                : null);
        }
        lockout.RecordSuccess(user.Id, clientAddress);
        if (user.AccessFailedCount > 0)
        {
            await users.ResetAccessFailedCountAsync(user);
        }
        return new PasswordCheck(user, PasswordCheck.Right, null);
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

/// <summary>What <see cref="StaffSignIn.CheckPasswordAsync"/> found; <see cref="Outcome"/> is the audit outcome.</summary>
internal sealed record PasswordCheck(StaffUser? User, string Outcome, string? Details)
{
    public const string Right = "ok";
    public const string Failed = "failed";
    public const string LockedOut = "locked_out";
}
