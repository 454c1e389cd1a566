namespace BackOffice.Application.Abstractions;

/// <summary>The outcome of checking a second staff member's credentials; <see cref="Refusal"/> is German, for the form.</summary>
public sealed record StaffCheck(string? UserName, string? Refusal)
{
    public bool Verified => UserName is not null;
}

/// <summary>
/// Checks the user name and password of a second staff member who witnesses an action (four-eyes). Failures count
/// towards that account's sign-in lockout, so the form cannot be used to guess passwords.
/// </summary>
public interface IStaffVerification
{
    Task<StaffCheck> VerifyAsync(string userName, string password, CancellationToken cancellationToken = default);
}
