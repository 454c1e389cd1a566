using Microsoft.Extensions.Options;

namespace BackOffice.Application.Reports;

/// <summary>The office as its printed reports name it (section <c>Office</c>).</summary>
public sealed class OfficeOptions
{
    public const string SectionName = "Office";

    /// <summary>Printed at the top of every page, e.g. "Stadt Düsseldorf – Bürgerbüro".</summary>
    public string Name { get; set; } = "";

    /// <summary>PNG or JPEG printed beside the name; relative paths are relative to the app's content root. Optional.</summary>
    public string? LogoPath { get; set; }
}

internal sealed class OfficeOptionsValidator : IValidateOptions<OfficeOptions>
{
    public ValidateOptionsResult Validate(string? name, OfficeOptions options) =>
        string.IsNullOrWhiteSpace(options.Name)
            ? ValidateOptionsResult.Fail("Office:Name must be set: reports print the office's name on every page.")
            : ValidateOptionsResult.Success;
}
