namespace BackOffice.Application.Common;

/// <summary>Secret keys from configuration: base64 text, never in the repository.</summary>
public static class SecretKeys
{
    /// <summary>The key's bytes, or null when it is missing or not base64.</summary>
    public static byte[]? Decode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var length) ? buffer[..length] : null;
    }
}
