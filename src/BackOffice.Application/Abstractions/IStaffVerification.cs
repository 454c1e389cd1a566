using BackOffice.Application.Common;

namespace BackOffice.Application.Abstractions;

/// <summary>The outcome of checking a second staff member's credentials: the verified user name, or why not.</summary>
public sealed record StaffCheck(string? UserName, Refusal? Refusal)
{
    public bool Verified => UserName is not null;
}

/// <summary>
/// Checks the user name and password of a second staff member who witnesses an action (four-eyes). Failures lock the
/// check for that account after a few, so the form cannot be used to guess passwords; they never lock the account's
/// sign-in, so the form cannot be used to lock a colleague out either.
/// </summary>
public interface IStaffVerification
{
    Task<StaffCheck> VerifyAsync(string userName, string password, CancellationToken cancellationToken = default);
}
