using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Common;
using BackOffice.Application.Privacy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace BackOffice.Infrastructure.Privacy;

/// <summary>
/// Encrypts holders' names, birth dates and mobile numbers before they reach the database (ASP.NET Core Data
/// Protection, keys in the persisted key ring outside the database) and computes the keyed hash used to find documents
/// by mobile number.
/// </summary>
/// <remarks>Singleton; thread-safe. Used by the EF model's value converters, so every read and write goes through it.</remarks>
public sealed class PersonalDataProtection : IPersonalDataLookup
{
    /// <summary>Data Protection purpose of personal data; a new version needs a new purpose (and a re-encryption).</summary>
    public const string Purpose = "BackOffice.PersonalData.v1";

    // Marks encrypted values; a value without it is legacy plain text from before encryption (read as is, re-saved encrypted).
    private const string Prefix = "pd1:";

    private readonly IDataProtector _protector;
    private readonly byte[] _lookupKey;

    public PersonalDataProtection(IDataProtectionProvider provider, IOptions<PrivacyOptions> settings)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
        _lookupKey = SecretKeys.Decode(settings?.Value.LookupKey) is { Length: >= 32 } key
            ? key
            : throw new InvalidOperationException("Privacy:LookupKey is not set (at least 32 random bytes, base64).");
    }

    /// <summary>The stored form; empty stays empty (erased data).</summary>
    public string Protect(string plain) => string.IsNullOrEmpty(plain) ? "" : Prefix + _protector.Protect(plain);

    /// <summary>The plain value; <see cref="Unreadable"/> when the key ring lacks the key (restored without its keys).</summary>
    public string Unprotect(string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored;
        }
        try
        {
            return _protector.Unprotect(stored[Prefix.Length..]);
        }
        catch (CryptographicException)
        {
            // One unreadable row must not take every page down with it; the value is shown as unreadable instead.
            return Unreadable;
        }
    }

    /// <summary>Shown instead of a value whose key is missing from the key ring.</summary>
    public const string Unreadable = "[nicht lesbar: Schlüssel fehlt]";

    public string HashMobileNumber(string e164) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(e164)));

    /// <summary>True when the stored value is already encrypted.</summary>
    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);
}
