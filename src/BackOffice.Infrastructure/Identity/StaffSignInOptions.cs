namespace BackOffice.Infrastructure.Identity;

/// <summary>Rules of the local sign-in under <c>Authentication</c> (the section of the sign-in modes).</summary>
public sealed class StaffSignInOptions
{
    public const string SectionName = "Authentication";

    /// <summary>
    /// Admins of local accounts must use a second factor (an authenticator app): an admin without one is sent to the
    /// enrolment at sign-in and can do nothing else until enrolled. On by default; the Development demo settings turn it
    /// off so the demo admin signs in with the README's password alone.
    /// </summary>
    public bool RequireAdminTwoFactor { get; set; } = true;
}
