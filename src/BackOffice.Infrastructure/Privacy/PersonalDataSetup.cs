using BackOffice.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BackOffice.Infrastructure.Privacy;

/// <summary>Settings under <c>DataProtection</c>.</summary>
public sealed class KeyRingSettings
{
    public const string SectionName = "DataProtection";

    /// <summary>
    /// Folder of the Data Protection key ring (outside the database, backed up with it, shared by all instances). Without
    /// it nothing encrypted can be read again; Development uses <c>.data/keys</c> under the content root.
    /// </summary>
    public string? KeyRingPath { get; set; }
}

public static class PersonalDataSetup
{
    public const string ApplicationName = "Ausgabebox.BackOffice";

    /// <summary>A persisted, shared key ring; encryption of personal data at rest; the keyed hash for lookups.</summary>
    public static IHostApplicationBuilder AddPersonalDataProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var path = builder.Configuration[$"{KeyRingSettings.SectionName}:{nameof(KeyRingSettings.KeyRingPath)}"];
        if (string.IsNullOrWhiteSpace(path) && builder.Environment.IsDevelopment())
        {
            path = Path.Combine(builder.Environment.ContentRootPath, ".data", "keys");
        }
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (!string.IsNullOrWhiteSpace(path))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(path));
        }
        services.AddOptions<KeyRingSettings>()
            .Bind(builder.Configuration.GetSection(KeyRingSettings.SectionName))
            .Validate(s => builder.Environment.IsDevelopment() || !string.IsNullOrWhiteSpace(s.KeyRingPath),
                "DataProtection:KeyRingPath must name the folder of the persisted key ring (outside the database, backed up, " +
                "shared by all instances); without it encrypted personal data and queued SMS cannot be read after a restart.")
            .ValidateOnStart();

        services.AddSingleton<PersonalDataProtection>();
        services.AddSingleton<IPersonalDataLookup>(provider => provider.GetRequiredService<PersonalDataProtection>());
        services.AddSingleton<PersonalDataInterceptor>();
        return builder;
    }
}
