using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BackOffice.Infrastructure.Privacy;
using BackOffice.IntegrationTests.Infrastructure;
using BackOffice.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace BackOffice.IntegrationTests.Privacy;

/// <summary>The app with <c>DataProtection:CertificatePath</c> set: the keys on disk are encrypted with the certificate.</summary>
public sealed class CertificateKeyRingAppFactory : BackOfficeAppFactory
{
    public const string Password = "test-only-pfx-password";

    public TempDirectory Folder { get; } = new();

    public string KeyRingPath => Path.Combine(Folder.Path, "keys");

    public string CertificatePath => Path.Combine(Folder.Path, "keyring.pfx");

    /// <summary>Another app instance configured with the same key ring and certificate.</summary>
    public sealed class SameKeyRing(CertificateKeyRingAppFactory first) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => first.ConfigureSameKeyRing(builder);
    }

    /// <summary>This app's settings (database, key ring, certificate) for another host.</summary>
    public void ConfigureSameKeyRing(IWebHostBuilder builder) => ConfigureWebHost(builder);

    public CertificateKeyRingAppFactory()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Ausgabebox key ring (test)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(CertificatePath, certificate.Export(X509ContentType.Pfx, Password));
    }

    protected override bool OwnPersonalDataKeys => true;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("DataProtection:KeyRingPath", KeyRingPath),
        new("DataProtection:CertificatePath", CertificatePath),
        new("DataProtection:CertificatePassword", Password),
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Folder.Dispose();
    }
}

public class KeyRingCertificateTests(CertificateKeyRingAppFactory app) : IClassFixture<CertificateKeyRingAppFactory>
{
    [Fact]
    public async Task KeysOnDisk_AreEncrypted_AndReadableOnlyWithTheCertificate()
    {
        var protectedValue = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("Erika Mustermann");

        var files = Directory.GetFiles(app.KeyRingPath, "key-*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }

        // A second app on the same folder reads it with the certificate (as after a restart or on another instance)...
        await using (var second = new CertificateKeyRingAppFactory.SameKeyRing(app))
        {
            var provider = second.Services.GetRequiredService<IDataProtectionProvider>();
            Assert.Equal("Erika Mustermann", provider.CreateProtector("test").Unprotect(protectedValue));
        }

        // ...and a copy of the folder alone decrypts nothing.
        var folderOnly = DataProtectionProvider.Create(new DirectoryInfo(app.KeyRingPath), options => options
            .SetApplicationName(PersonalDataSetup.ApplicationName));
        Assert.ThrowsAny<CryptographicException>(() => folderOnly.CreateProtector("test").Unprotect(protectedValue));
    }

    [Fact]
    public async Task AWrongCertificatePassword_StopsTheStart_WithAClearMessage()
    {
        await using var wrong = new WrongPassword(app);

        var error = Assert.ThrowsAny<Exception>(() => wrong.Services);

        Assert.Contains("DataProtection:CertificatePath must name a readable .pfx", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class WrongPassword(CertificateKeyRingAppFactory first) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            first.ConfigureSameKeyRing(builder);
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(
                new Dictionary<string, string?> { ["DataProtection:CertificatePassword"] = "not-the-password" }));
        }
    }
}
