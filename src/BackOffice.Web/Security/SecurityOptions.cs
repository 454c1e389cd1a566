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
}

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options) =>
        options.IdleTimeout < TimeSpan.FromSeconds(5) || options.IdleTimeout > TimeSpan.FromHours(12)
            ? ValidateOptionsResult.Fail("Security:IdleTimeout must be between 00:00:05 and 12:00:00.")
            : ValidateOptionsResult.Success;
}
