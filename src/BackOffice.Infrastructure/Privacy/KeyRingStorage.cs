using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Privacy;

/// <summary>
/// Puts the Data Protection keys in the configured folder (Development: <c>.data/keys</c> under the content root) and,
/// with a certificate configured, encrypts each key with it before it is written.
/// </summary>
internal sealed class KeyRingStorage(
    IOptions<KeyRingOptions> settings,
    IHostEnvironment environment,
    KeyRingCertificate certificate,
    ILoggerFactory loggerFactory) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options)
    {
        var path = settings.Value.KeyRingPath;
        if (string.IsNullOrWhiteSpace(path) && environment.IsDevelopment())
        {
            path = Path.Combine(environment.ContentRootPath, ".data", "keys");
        }
        if (!string.IsNullOrWhiteSpace(path))
        {
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(path), loggerFactory);
        }
        if (certificate.Value is { } value)
        {
            options.XmlEncryptor = new CertificateKeyEncryptor(value, loggerFactory);
        }
    }
}

/// <summary>The certificate of <see cref="KeyRingOptions.CertificatePath"/>, loaded once; null when none is configured.</summary>
internal sealed class KeyRingCertificate(IOptions<KeyRingOptions> settings, IHostEnvironment environment) : IDisposable
{
    private readonly Lazy<X509Certificate2?> _certificate = new(() => Load(settings.Value, environment.ContentRootPath));

    public X509Certificate2? Value => _certificate.Value;

    internal static X509Certificate2? Load(KeyRingOptions settings, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            return null;
        }
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(
            Path.Combine(contentRoot, settings.CertificatePath), settings.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        if (certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new CryptographicException("the certificate has no RSA private key; without it the key ring could be written but never read");
        }
        return certificate;
    }

    public void Dispose()
    {
        if (_certificate.IsValueCreated)
        {
            _certificate.Value?.Dispose();
        }
    }
}

/// <summary>Refuses to start with a certificate that cannot be read, rather than failing at the first encryption.</summary>
internal sealed class KeyRingCertificateValidator(IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        try
        {
            using var certificate = KeyRingCertificate.Load(options, environment.ContentRootPath);
            return ValidateOptionsResult.Success;
        }
        catch (CryptographicException exception)
        {
            return ValidateOptionsResult.Fail(
                $"DataProtection:CertificatePath must name a readable .pfx with its private key (and DataProtection:CertificatePassword its password): {exception.Message}");
        }
    }
}

/// <summary>
/// Encrypts a key with the framework's certificate encryptor and names <see cref="CertificateKeyDecryptor"/> to read it
/// back: the framework's own reader looks for the certificate in the machine's store, where a .pfx file is not.
/// </summary>
internal sealed class CertificateKeyEncryptor(X509Certificate2 certificate, ILoggerFactory loggerFactory) : IXmlEncryptor
{
    private readonly CertificateXmlEncryptor _inner = new(certificate, loggerFactory);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(_inner.Encrypt(plaintextElement).EncryptedElement, typeof(CertificateKeyDecryptor));
}

/// <summary>Reads a key written by <see cref="CertificateKeyEncryptor"/> with the configured certificate's private key.</summary>
/// <remarks>Created by Data Protection from the type name stored with each key, through this constructor.</remarks>
public sealed class CertificateKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var certificate = services.GetRequiredService<KeyRingCertificate>().Value
            ?? throw new CryptographicException("The key ring is encrypted with a certificate, but DataProtection:CertificatePath is not set.");

        // EncryptedXml replaces the element in its document, so it needs a parent.
        var document = new XmlDocument { PreserveWhitespace = true };
        document.Load(new XElement("root", encryptedElement).CreateReader());
        new CertificateEncryptedXml(document, certificate).DecryptDocument();
        return XElement.Load(document.DocumentElement!.FirstChild!.CreateNavigator()!.ReadSubtree());
    }

    private sealed class CertificateEncryptedXml(XmlDocument document, X509Certificate2 certificate) : EncryptedXml(document)
    {
        public override byte[]? DecryptEncryptedKey(EncryptedKey encryptedKey)
        {
            using var key = certificate.GetRSAPrivateKey()
                ?? throw new CryptographicException("The key ring certificate has no RSA private key.");
            var useOaep = encryptedKey.EncryptionMethod?.KeyAlgorithm == XmlEncRSAOAEPUrl;
            return DecryptKey(encryptedKey.CipherData.CipherValue!, key, useOaep);
        }
    }
}
