using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace BackOffice.Infrastructure.Identity;

/// <summary>
/// The codes an authenticator app shows (RFC 6238: HMAC-SHA1 over 30-second steps, six digits), checked against the key
/// Identity stores for the account (base32). Unlike Identity's own provider it says which time step a code belongs to,
/// so a code is taken once (<see cref="StaffUser.LastAuthenticatorStep"/>), and it reads the time from the caller's
/// <see cref="TimeProvider"/>.
/// </summary>
internal static class AuthenticatorCode
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Steps before and after the current one still accepted: a phone's clock a little off, a code typed late.</summary>
    public const int Window = 1;

    /// <summary>The time step whose code <paramref name="digits"/> (six digits) is, within <see cref="Window"/> of now; null if none.</summary>
    public static long? MatchingStep(string base32Key, string digits, DateTimeOffset now)
    {
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit) || Decode(base32Key) is not { Length: > 0 } key)
        {
            return null;
        }
        var current = now.ToUnixTimeSeconds() / (long)Step.TotalSeconds;
        var given = Encoding.ASCII.GetBytes(digits);
        long? match = null;
        for (var step = current - Window; step <= current + Window; step++)
        {
            // Every step is computed and compared in constant time: the answer's timing tells nothing about the code.
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CodeAt(key, step)), given))
            {
                match ??= step;
            }
        }
        return match;
    }

    private static string CodeAt(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(key, counter, hash);
        var offset = hash[^1] & 0x0F;
        var value = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFF_FFFF;
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 4648 base32 as Identity writes the key (upper case, no padding); spaces and padding ignored; null if malformed.</summary>
    private static byte[]? Decode(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '=')
            {
                continue;
            }
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
            }
        }
        return [.. bytes];
    }
}
