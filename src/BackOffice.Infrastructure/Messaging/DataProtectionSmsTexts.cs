using BackOffice.Application.Abstractions;
using Microsoft.AspNetCore.DataProtection;

namespace BackOffice.Infrastructure.Messaging;

/// <summary>SMS texts encrypted with Data Protection, the same key ring as the personal data.</summary>
/// <remarks>Singleton; thread-safe.</remarks>
internal sealed class DataProtectionSmsTexts(IDataProtectionProvider dataProtection) : ISmsTextProtector
{
    /// <summary>Data Protection purpose of the stored texts; a new version needs a new purpose string (old rows keep this one).</summary>
    public const string Purpose = "BackOffice.Sms.Body.v1";

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    public string Protect(string text) => _protector.Protect(text);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
