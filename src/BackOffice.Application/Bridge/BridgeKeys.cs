using System.Security.Cryptography;
using System.Text;

namespace BackOffice.Application.Bridge;

/// <summary>
/// Bridge keys: 256 random bits, shown once when issued; only their SHA-256 is stored. A fast hash is enough here:
/// unlike a password, a random key of that length cannot be guessed, and the hash lets the server find the box by its key.
/// </summary>
public static class BridgeKeys
{
    public const string Prefix = "abx1_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Cheap shape check before any database lookup: refuses junk without touching the database.</summary>
    public static bool LooksValid(string? key) =>
        key is { Length: > 40 and < 100 } && key.StartsWith(Prefix, StringComparison.Ordinal)
        && key.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
