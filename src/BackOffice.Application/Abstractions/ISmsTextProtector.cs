namespace BackOffice.Application.Abstractions;

/// <summary>
/// Encrypts SMS texts before they reach the outbox table (a text may carry a PIN) and decrypts them for sending.
/// </summary>
public interface ISmsTextProtector
{
    string Protect(string text);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The key is missing (another instance's, or lost).</exception>
    string Unprotect(string protectedText);
}
