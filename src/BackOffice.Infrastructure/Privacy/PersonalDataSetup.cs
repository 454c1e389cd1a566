using BackOffice.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Privacy;

/// <summary>Settings under <c>DataProtection</c>.</summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>
    /// Folder of the Data Protection key ring (outside the database, backed up with it, shared by all instances). Without
    /// it nothing encrypted can be read again; Development uses <c>.data/keys</c> under the content root.
    /// </summary>
    public string? KeyRingPath { get; set; }

    /// <summary>
    /// A PKCS#12 file (.pfx) whose certificate encrypts the keys in the key ring, so a copy of the folder alone decrypts
    /// nothing. Optional; without it the keys are stored unencrypted and the folder's permissions are the protection.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The .pfx file's password (secret).</summary>
    public string? CertificatePassword { get; set; }
}

public static class PersonalDataSetup
{
    public const string ApplicationName = "Ausgabebox.BackOffice";

    /// <summary>A persisted, shared key ring; encryption of personal data at rest; the keyed hash for lookups.</summary>
    public static IHostApplicationBuilder AddPersonalDataProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // Where the keys live and how they are protected is read when Data Protection first starts, not here: settings
        // that arrive after registration (a test host's, a secret store's) must count too.
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<KeyRingCertificate>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, KeyRingStorage>();
        services.AddOptions<KeyRingOptions>()
            .Bind(builder.Configuration.GetSection(KeyRingOptions.SectionName))
            .Validate(s => builder.Environment.IsDevelopment() || !string.IsNullOrWhiteSpace(s.KeyRingPath),
                "DataProtection:KeyRingPath must name the folder of the persisted key ring (outside the database, backed up, " +
                "shared by all instances); without it encrypted personal data and queued SMS cannot be read after a restart.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingCertificateValidator>();

        services.AddSingleton<PersonalDataProtection>();
        services.AddSingleton<IPersonalDataLookup>(provider => provider.GetRequiredService<PersonalDataProtection>());
        services.AddSingleton<PersonalDataInterceptor>();
        return builder;
    }
}
