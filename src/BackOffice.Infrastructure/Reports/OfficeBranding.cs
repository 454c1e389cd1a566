using BackOffice.Application.Reports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Reports;

/// <summary>The office's name and logo as the PDF header prints them; the logo file is read once.</summary>
/// <remarks>Singleton. A logo path is relative to the content root unless absolute; <see cref="OfficeLogoValidator"/> checks it at start.</remarks>
public sealed class OfficeBranding(IOptions<OfficeOptions> options, IHostEnvironment environment)
{
    private readonly Lazy<byte[]?> _logo = new(() => ResolveLogoPath(options.Value, environment) is { } path ? File.ReadAllBytes(path) : null);

    public string OfficeName => options.Value.Name;

    /// <summary>PNG or JPEG bytes, or null when none is configured.</summary>
    public byte[]? Logo => _logo.Value;

    internal static string? ResolveLogoPath(OfficeOptions settings, IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(settings.LogoPath) ? null : Path.GetFullPath(settings.LogoPath, environment.ContentRootPath);
}

/// <summary>A configured logo must exist and be a PNG or JPEG; otherwise the app stops at start with this message.</summary>
internal sealed class OfficeLogoValidator(IHostEnvironment environment) : IValidateOptions<OfficeOptions>
{
    public ValidateOptionsResult Validate(string? name, OfficeOptions options)
    {
        if (OfficeBranding.ResolveLogoPath(options, environment) is not { } path)
        {
            return ValidateOptionsResult.Success;
        }
        if (!File.Exists(path))
        {
            return ValidateOptionsResult.Fail($"Office:LogoPath: the file {path} does not exist.");
        }
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".png" or ".jpg" or ".jpeg"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Office:LogoPath must name a PNG or JPEG file.");
    }
}
