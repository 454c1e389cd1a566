namespace BackOffice.Application.Abstractions;

/// <summary>
/// Personal data is stored encrypted (randomised, so equal values never look equal); lookups go through a keyed hash
/// whose key lives outside the database.
/// </summary>
public interface IPersonalDataLookup
{
    /// <summary>The keyed hash (HMAC-SHA256, hex) of a mobile number in E.164, as stored for lookups.</summary>
    string HashMobileNumber(string e164);
}
