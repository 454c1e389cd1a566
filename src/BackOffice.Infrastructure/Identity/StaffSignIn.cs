using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using BackOffice.Application.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace BackOffice.Infrastructure.Identity;

/// <summary>
/// Staff sign-in with a password, then the steps the account still needs (<see cref="SignInStep"/>: the authenticator
/// code, a new password for a one-time password, an admin's enrolment), carried between requests by a short-lived cookie
/// of its own (Identity's two-factor scheme); the sign-in cookie is written only after the last step. An unknown
/// address, a wrong password, a locked and a disabled account (or address) get the same answer
/// (<see cref="SignInStep.Refused"/>) after the same work: one lookup, one password hash verification (of a dummy hash
/// for an unknown address), one audit line. Nothing the caller sees tells them apart; the audit trail does.
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
    TwoFactorEnrolment enrolment,
    IServiceProvider services,
    AuditTrail audit,
    TimeProvider timeProvider,
    ILogger<StaffSignIn> logger)
{
    /// <summary>Action of the audit line written when the per-account threshold locks an account.</summary>
    public const string AccountLockedAction = "staff.locked";

    /// <summary>
    /// Checks the password and, if it is right and nothing is locked, goes on with the sign-in: the sign-in cookie, or
    /// first the next step the account needs (<see cref="SignInStep"/>), remembered in a short-lived cookie of its own.
    /// </summary>
    /// <param name="userName">The e-mail address as entered (trimmed).</param>
    /// <param name="password">Never logged, never audited.</param>
    /// <param name="clientAddress">The client's IP address, as the rate limits see it.</param>
    public async Task<SignInStep> PasswordSignInAsync(string userName, string password, string clientAddress)
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
            return SignInStep.Refused;
        }
        var user = check.User;
        if (!await signInManager.CanSignInAsync(user))
        {
            await audit.WriteAsync(actor, "staff.signin", subject, "not_allowed", details);
            LogFailed(logger, userName, clientAddress);
            return SignInStep.Refused;
        }
        return await ContinueAsync(user, secondFactor: false, clientAddress);
    }

    /// <summary>The sign-in under way (password right, a step still open), if its cookie is there and still holds.</summary>
    public async Task<PendingSignIn?> PendingAsync()
    {
        var result = await signInManager.Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        if (result.Principal is not { } principal
            || !Guid.TryParse(principal.FindFirstValue(PendingClaims.UserId), out var userId))
        {
            return null;
        }
        var users = signInManager.UserManager;
        // An admin who disabled the account, reset its password or second factor meanwhile changed the stamp.
        if (await users.FindByIdAsync(userId.ToString()) is not { DisabledAt: null } user
            || user.SecurityStamp != principal.FindFirstValue(PendingClaims.Stamp)
            || await users.IsLockedOutAsync(user))
        {
            return null;
        }
        var secondFactor = principal.FindFirstValue(PendingClaims.SecondFactor) == "true";
        return new PendingSignIn(user, secondFactor, await NextStepAsync(user, secondFactor));
    }

    /// <summary>
    /// The code of the authenticator app, or one of the recovery codes, for a sign-in at <see cref="SignInStep.TwoFactorCode"/>.
    /// Wrong codes count like wrong passwords for the account and address (<see cref="SignInLockout"/>).
    /// </summary>
    public async Task<SignInStep> TwoFactorSignInAsync(PendingSignIn pending, string code, string clientAddress)
    {
        var user = pending.User;
        if (pending.Step != SignInStep.TwoFactorCode)
        {
            return pending.Step;
        }
        var subject = $"user:{user.UserName}";
        var details = $"client {clientAddress}";
        if (lockout.LockedUntil(user.Id, clientAddress) is not null)
        {
            await audit.WriteAsync(AuditTrail.Staff(user.UserName ?? ""), "staff.signin", subject, PasswordCheck.LockedOut, $"{details}; second factor");
            return SignInStep.Refused;
        }
        var users = signInManager.UserManager;
        var normalized = TwoFactorEnrolment.Normalize(code);
        // Six digits: the app's code. Anything else: a recovery code, as shown (with its hyphen).
        var recoveryCode = (code ?? "").Replace(" ", "", StringComparison.Ordinal);
        var right = normalized.Length == 6 && normalized.All(char.IsAsciiDigit)
            ? await TwoFactorEnrolment.VerifyCodeAsync(services, user, normalized)
            : recoveryCode.Length is > 0 and <= 64 && (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode)).Succeeded;
        if (!right)
        {
            var failure = lockout.RecordFailure(user.Id, clientAddress);
            if (failure.AccountThresholdReached)
            {
                await LockAccountAsync(user, failure);
            }
            await audit.WriteAsync(AuditTrail.Staff(user.UserName ?? ""), "staff.signin", subject, PasswordCheck.Failed, $"{details}; wrong second-factor code");
            LogFailed(logger, user.UserName ?? "", clientAddress);
            return SignInStep.Refused;
        }
        lockout.RecordSuccess(user.Id, clientAddress);
        return await ContinueAsync(user, secondFactor: true, clientAddress, normalized.Length == 6 && normalized.All(char.IsAsciiDigit) ? null : "recovery code used");
    }

    /// <summary>The new password at <see cref="SignInStep.ChangePassword"/>; the password policy's errors when it is refused.</summary>
    public async Task<(SignInStep Step, IReadOnlyList<IdentityError> Errors)> ChangePasswordAsync(PendingSignIn pending, string newPassword, string clientAddress)
    {
        var user = pending.User;
        if (pending.Step != SignInStep.ChangePassword)
        {
            return (pending.Step, []);
        }
        var users = signInManager.UserManager;
        if (await users.CheckPasswordAsync(user, newPassword))
        {
            return (SignInStep.ChangePassword, [new IdentityError { Code = SamePasswordError }]);
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var changed = await users.ResetPasswordAsync(user, token, newPassword);
        if (!changed.Succeeded)
        {
            return (SignInStep.ChangePassword, changed.Errors.ToList());
        }
        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        await audit.WriteAsync(AuditTrail.Staff(user.UserName ?? ""), "staff.password_changed", $"user:{user.UserName}", "ok", "one-time password replaced");
        return (await ContinueAsync(user, pending.SecondFactor, clientAddress), []);
    }

    /// <summary>
    /// The enrolment at <see cref="SignInStep.EnrolTwoFactor"/> is confirmed with its first code: the recovery codes
    /// (shown once) and the step that follows.
    /// </summary>
    public async Task<(SignInStep Step, IReadOnlyList<string>? RecoveryCodes)> ConfirmEnrolmentAsync(PendingSignIn pending, string code, string clientAddress)
    {
        if (pending.Step != SignInStep.EnrolTwoFactor)
        {
            return (pending.Step, null);
        }
        // In this scope, on the account it loaded: the next step must see the second factor switched on.
        var codes = await TwoFactorEnrolment.ConfirmAsync(services, pending.User, code, audit);
        if (codes is null)
        {
            return (SignInStep.EnrolTwoFactor, null);
        }
        return (await ContinueAsync(pending.User, secondFactor: true, clientAddress), codes);
    }

    /// <summary>What the account still needs before it is signed in, in this order.</summary>
    private async Task<SignInStep> NextStepAsync(StaffUser user, bool secondFactor)
    {
        if (user.TwoFactorEnabled && !secondFactor)
        {
            return SignInStep.TwoFactorCode;
        }
        if (user.MustChangePassword)
        {
            return SignInStep.ChangePassword;
        }
        if (!user.TwoFactorEnabled && await enrolment.IsRequiredAsync(signInManager.UserManager, user))
        {
            return SignInStep.EnrolTwoFactor;
        }
        return SignInStep.SignedIn;
    }

    /// <summary>Writes the cookie of the next step, or, when none is left, the sign-in cookie.</summary>
    private async Task<SignInStep> ContinueAsync(StaffUser user, bool secondFactor, string clientAddress, string? note = null)
    {
        var next = await NextStepAsync(user, secondFactor);
        var context = signInManager.Context;
        if (next != SignInStep.SignedIn)
        {
            var identity = new ClaimsIdentity(
            [
                new Claim(PendingClaims.UserId, user.Id.ToString()),
                new Claim(PendingClaims.Stamp, user.SecurityStamp ?? ""),
                new Claim(PendingClaims.SecondFactor, secondFactor ? "true" : "false"),
            ], IdentityConstants.TwoFactorUserIdScheme);
            await context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
            return next;
        }

        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        // "amr" says how the person proved who they are (RFC 8176): password alone, or with a second factor.
        await signInManager.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", secondFactor ? "mfa" : "pwd")]);
        user.LastSignInAt = timeProvider.GetUtcNow();
        await signInManager.UserManager.UpdateAsync(user);
        var details = $"client {clientAddress}" + (secondFactor ? "; second factor" : "") + (note is null ? "" : $"; {note}");
        await audit.WriteAsync(AuditTrail.Staff(user.UserName ?? ""), "staff.signin", $"user:{user.UserName}", "ok", details);
        LogSignedIn(logger, user.UserName ?? "", clientAddress);
        return SignInStep.SignedIn;
    }

    /// <summary>The error code of a new password that is the one-time password again.</summary>
    public const string SamePasswordError = "SameAsOneTimePassword";

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

        if (user.DisabledAt is not null)
        {
            // Disabled by an admin: the same answer as a wrong password, after the same work.
            return new PasswordCheck(user, PasswordCheck.Disabled, "account disabled");
        }
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
    public const string Disabled = "disabled";
}

/// <summary>Where a sign-in stands after a step.</summary>
public enum SignInStep
{
    /// <summary>Refused (wrong password or code, locked, disabled); the page says the same for each.</summary>
    Refused,

    /// <summary>Signed in: the sign-in cookie is written.</summary>
    SignedIn,

    /// <summary>The password was right; the code of the authenticator app (or a recovery code) is asked next.</summary>
    TwoFactorCode,

    /// <summary>The password was a one-time password: a new one must be set before anything else.</summary>
    ChangePassword,

    /// <summary>An admin without a second factor while it is required: the enrolment comes before anything else.</summary>
    EnrolTwoFactor,
}

/// <summary>A sign-in whose password was right and that has a step left (<see cref="Step"/>).</summary>
/// <param name="User">The account.</param>
/// <param name="SecondFactor">The authenticator code was given in this sign-in.</param>
/// <param name="Step">What the account still needs.</param>
public sealed record PendingSignIn(StaffUser User, bool SecondFactor, SignInStep Step);

/// <summary>Claims of the short-lived cookie that carries a sign-in between its steps.</summary>
internal static class PendingClaims
{
    public const string UserId = "backoffice:pending_user";
    public const string Stamp = "backoffice:pending_stamp";
    public const string SecondFactor = "backoffice:pending_mfa";
}
