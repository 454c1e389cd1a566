using BackOffice.Application.Common;

namespace BackOffice.Application.Abstractions;

/// <summary>The outcome of checking a second staff member's credentials: the verified user name, or why not.</summary>
public sealed record StaffCheck(string? UserName, Refusal? Refusal)
{
    public bool Verified => UserName is not null;
}

/// <summary>What a second person confirms: a fresh directory sign-in counts for this one operation only.</summary>
public enum WitnessPurpose
{
    Loading,
    BinEmptying,
}

/// <summary>How a second staff member shows they are present: the page hands over whichever the sign-in mode asks for.</summary>
public abstract record WitnessProof;

/// <summary>Their own user name and password, typed at the clerk's screen (local accounts).</summary>
public sealed record WitnessPassword(string UserName, string Password) : WitnessProof
{
    // The password never shows in a log line or a failure message.
    public override string ToString() => $"WitnessPassword {{ UserName = {UserName} }}";
}

/// <summary>
/// A fresh sign-in of the second person at the directory (directory modes), started from the clerk's page under this
/// ticket; the ticket's confirmation is kept on the server and counts once.
/// </summary>
public sealed record WitnessFreshSignIn(Guid Ticket) : WitnessProof;

/// <summary>
/// Checks a second staff member who witnesses an action (four-eyes). Passwords: failures lock the check for that
/// account after a few, so the form cannot be used to guess passwords; they never lock the account's sign-in, so the
/// form cannot be used to lock a colleague out either. Fresh directory sign-ins: the confirmation belongs to the person
/// who asked for it and to one purpose, is recent, and is used up by the check.
/// </summary>
public interface IStaffVerification
{
    Task<StaffCheck> VerifyAsync(string userName, string password, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks <paramref name="proof"/> of a second person for an action of <paramref name="requestedBy"/> (the actor as
    /// the audit trail names them); the sign-in mode decides which proofs count.
    /// </summary>
    Task<StaffCheck> ConfirmAsync(WitnessProof proof, string requestedBy, WitnessPurpose purpose, CancellationToken cancellationToken = default);
}
