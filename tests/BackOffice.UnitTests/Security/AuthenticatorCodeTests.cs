using BackOffice.Infrastructure.Identity;
using BackOffice.Testing;

namespace BackOffice.UnitTests.Security;

public class AuthenticatorCodeTests
{
    // RFC 6238, appendix B: the SHA-1 key "12345678901234567890" (base32 below); the last six of its eight digits.
    private const string RfcKey = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void MatchingStep_TheRfcTestVectors_AreTheirOwnStep(long unixSeconds, string code)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.Equal(unixSeconds / 30, AuthenticatorCode.MatchingStep(RfcKey, code, at));
    }

    [Fact]
    public void MatchingStep_OneStepEitherSide_IsAccepted_TwoAreNot()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var key = "JBSW Y3DP EHPK 3PXP";
        var step = now.ToUnixTimeSeconds() / 30;

        Assert.Equal(step - 1, AuthenticatorCode.MatchingStep(key, Totp.Code(key, now.AddSeconds(-30)), now));
        Assert.Equal(step + 1, AuthenticatorCode.MatchingStep(key, Totp.Code(key, now.AddSeconds(30)), now));
        Assert.Null(AuthenticatorCode.MatchingStep(key, Totp.Code(key, now.AddSeconds(-60)), now));
        Assert.Null(AuthenticatorCode.MatchingStep(key, Totp.Code(key, now.AddSeconds(60)), now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void MatchingStep_NotSixDigits_IsNoCode(string code) =>
        Assert.Null(AuthenticatorCode.MatchingStep(RfcKey, code, DateTimeOffset.FromUnixTimeSeconds(59)));

    [Fact]
    public void MatchingStep_AMalformedKey_MatchesNothing() =>
        Assert.Null(AuthenticatorCode.MatchingStep("not base32!", "287082", DateTimeOffset.FromUnixTimeSeconds(59)));
}
