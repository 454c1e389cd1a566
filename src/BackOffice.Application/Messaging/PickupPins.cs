using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BackOffice.Application.Messaging;

/// <summary>
/// The 6-digit pickup PIN: generated from a cryptographic random source, stored only as a salted slow hash
/// (<c>pbkdf2-sha256$iterations$salt$hash</c>, base64), checked in constant time.
/// </summary>
/// <remarks>
/// A 6-digit PIN has only a million values, so the hash alone cannot keep a leaked database safe; it makes offline
/// guessing expensive. The real protection is the limit on attempts at the box and the pickup deadline.
/// </remarks>
public static class PickupPins
{
    public const int Length = 6;

    /// <summary>
    /// PBKDF2-HMAC-SHA256 work factor for new hashes; verification reads the count stored in the hash, so older hashes
    /// keep working. Chosen by measurement (infra/bench.sh pickup-latency): about 15 ms per check on the 2-core
    /// reference machine, a third of the 50 ms the citizen may wait at the box. More would not buy real safety: a
    /// million possible PINs fall to any work factor a box can afford, so a leaked table must be protected by a secret
    /// kept outside the database (issue 8), and guessing at the box by the attempt limit.
    /// </summary>
    public const int Iterations = 30_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Bounds for the count read from a stored hash: a tampered value must not make one check take minutes.
    private const int MinIterations = 10_000;
    private const int MaxIterations = 5_000_000;

    /// <summary>A new PIN, e.g. "042917" (leading zeros kept: every PIN has exactly six digits).</summary>
    public static string Generate() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>A salted slow hash of the PIN, safe to store.</summary>
    public static string Hash(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(pin, salt, Iterations);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="pin"/> matches <paramref name="storedHash"/>; false for anything malformed.</summary>
    public static bool Verify(string? pin, string? storedHash)
    {
        if (pin is null || storedHash is null)
        {
            return false;
        }
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < MinIterations or > MaxIterations)
        {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (salt.Length < 8 || expected.Length != HashBytes)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Derive(pin, salt, iterations), expected);
    }

    private static byte[] Derive(string pin, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
