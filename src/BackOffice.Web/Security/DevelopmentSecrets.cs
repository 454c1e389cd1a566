using System.Text;
using BackOffice.Application.Pickup;
using Microsoft.Extensions.Options;

namespace BackOffice.Web.Security;

/// <summary>
/// The secrets in <c>appsettings.Development.json</c> are public (they are in the repository) and say so: each starts
/// with "development-only". Outside Development the app refuses to start with one of them, so a deployment that
/// inherited a development file or value fails loudly instead of running with a known key.
/// </summary>
internal sealed class DevelopmentSecretsValidator(IHostEnvironment environment) : IValidateOptions<PickupSettings>
{
    public const string Marker = "development-only";

    public ValidateOptionsResult Validate(string? name, PickupSettings options)
    {
        if (environment.IsDevelopment() || PickupSettings.DecodePepper(options.PinPepper) is not { } pepper)
        {
            return ValidateOptionsResult.Success;
        }
        return Encoding.UTF8.GetString(pepper).Contains(Marker, StringComparison.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Fail("Pickup:PinPepper is the development pepper from the repository; set a secret one (Pickup__PinPepper).")
            : ValidateOptionsResult.Success;
    }
}
