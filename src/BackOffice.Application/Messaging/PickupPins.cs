using BackOffice.Application.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Pickup;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Messaging;

/// <summary>
/// The 6-digit pickup PIN: generated from a cryptographic random source, stored only as a peppered, salted slow hash
/// (<c>pbkdf2-sha256-hmac$iterations$salt$hash</c>, base64), checked in constant time.
/// </summary>
/// <remarks>
/// A 6-digit PIN has only a million values: no work factor a box can afford keeps a leaked table safe on its own
/// (a million PBKDF2 checks take hours, not years). So the PIN is first keyed with a secret pepper held outside the
/// database (<see cref="PickupOptions.PinPepper"/>, from configuration or the environment): a database dump alone
/// reveals nothing. The slow hash is a second layer for the case that the pepper leaks too; guessing at the box is
/// stopped by the attempt limit. Hashes of the older unpeppered scheme (<c>pbkdf2-sha256$…</c>) still verify.
/// Singleton; thread-safe.
/// </remarks>
public sealed class PickupPins
{
    public const int Length = 6;

    /// <summary>
    /// PBKDF2-HMAC-SHA256 work factor for new hashes; verification reads the count stored in the hash, so older hashes
    /// keep working. Chosen by measurement (infra/bench.sh pickup-latency): about 4 ms per check on the 2-core
    /// reference machine, so a pickup stays well inside its 50 ms; with the pepper the work factor is defence in depth,
    /// not the main protection (see remarks).
    /// </summary>
    public const int Iterations = 10_000;

    /// <summary>The pepper must be at least this long (bytes, after base64 decoding).</summary>
    public const int MinPepperBytes = 32;

    private const string PepperedScheme = "pbkdf2-sha256-hmac";
    private const string UnpepperedScheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Bounds for the count read from a stored hash: a tampered value must not make one check take minutes.
    private const int MinIterations = 10_000;
    private const int MaxIterations = 5_000_000;

    private readonly byte[] _pepper;

    public PickupPins(byte[] pepper)
    {
        ArgumentNullException.ThrowIfNull(pepper);
        if (pepper.Length < MinPepperBytes)
        {
            throw new ArgumentException($"The PIN pepper must have at least {MinPepperBytes} bytes.", nameof(pepper));
        }
        _pepper = pepper.ToArray();
    }

    public PickupPins(IOptions<PickupOptions> settings)
        : this(SecretKeys.Decode(settings?.Value.PinPepper) ?? throw new InvalidOperationException("Pickup:PinPepper is not set."))
    {
    }

    /// <summary>A new PIN, e.g. "042917" (leading zeros kept: every PIN has exactly six digits).</summary>
    public static string Generate() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>A peppered, salted slow hash of the PIN, safe to store.</summary>
    public string Hash(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(Pepper(pin), salt, Iterations);
        return string.Join('$', PepperedScheme, Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="pin"/> matches <paramref name="storedHash"/>; false for anything malformed.</summary>
    public bool Verify(string? pin, string? storedHash)
    {
        if (pin is null || storedHash is null)
        {
            return false;
        }
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] is not (PepperedScheme or UnpepperedScheme)
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
        var input = parts[0] == PepperedScheme ? Pepper(pin) : Encoding.UTF8.GetBytes(pin);
        return CryptographicOperations.FixedTimeEquals(Derive(input, salt, iterations), expected);
    }

    private byte[] Pepper(string pin) => HMACSHA256.HashData(_pepper, Encoding.UTF8.GetBytes(pin));

    private static byte[] Derive(byte[] input, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(input, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
