using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>Settings under <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// A staff session without keyboard or pointer input for this long ends: the open page signs out and shows the
    /// sign-in page, and the sign-in cookie (sliding, renewed only by input) has expired too.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How often an open circuit checks that its sign-in still holds (account, roles, lock, a directory sign-in's end);
    /// a disabled account's open page is signed out at most this late.
    /// </summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(5);
}

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options) =>
        options.IdleTimeout < TimeSpan.FromSeconds(5) || options.IdleTimeout > TimeSpan.FromHours(12)
            ? ValidateOptionsResult.Fail("Security:IdleTimeout must be between 00:00:05 and 12:00:00.")
            : options.RevalidationInterval < TimeSpan.FromSeconds(1) || options.RevalidationInterval > TimeSpan.FromHours(1)
                ? ValidateOptionsResult.Fail("Security:RevalidationInterval must be between 00:00:01 and 01:00:00.")
                : ValidateOptionsResult.Success;
}
