using System.Text;
using BackOffice.Application.Common;
using BackOffice.Application.Pickup;
using BackOffice.Application.Privacy;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>
/// The secrets in <c>appsettings.Development.json</c> are public (they are in the repository) and say so: each contains
/// "development-only". Outside Development the app refuses to start with one of them, so a deployment that inherited
/// a development file or value fails loudly instead of running with a known key. (API keys: ApiOptionsValidator.)
/// </summary>
internal sealed class DevelopmentSecretsValidator(IHostEnvironment environment) : IValidateOptions<PickupOptions>, IValidateOptions<PrivacyOptions>
{
    public const string Marker = "development-only";

    public ValidateOptionsResult Validate(string? name, PickupOptions options) =>
        IsDevelopmentValue(options.PinPepper)
            ? ValidateOptionsResult.Fail("Pickup:PinPepper is the development pepper from the repository; set a secret one (Pickup__PinPepper).")
            : ValidateOptionsResult.Success;

    public ValidateOptionsResult Validate(string? name, PrivacyOptions options) =>
        IsDevelopmentValue(options.LookupKey)
            ? ValidateOptionsResult.Fail("Privacy:LookupKey is the development key from the repository; set a secret one (Privacy__LookupKey).")
            : ValidateOptionsResult.Success;

    private bool IsDevelopmentValue(string? base64) =>
        !environment.IsDevelopment()
        && SecretKeys.Decode(base64) is { } bytes
        && Encoding.UTF8.GetString(bytes).Contains(Marker, StringComparison.OrdinalIgnoreCase);
}
