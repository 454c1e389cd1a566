using BackOffice.Application.Messaging;

namespace BackOffice.UnitTests.Messaging;

public class PickupPinsTests
{
    private static readonly PickupPins Pins = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Hash_IsKeyedWithThePepper_AnotherPepperDoesNotVerify()
    {
        var hash = Pins.Hash("042917");
        var otherOffice = new PickupPins(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        Assert.False(otherOffice.Verify("042917", hash));
        Assert.True(Pins.Verify("042917", hash));
    }

    [Fact]
    public void Pepper_ShorterThan32Bytes_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new PickupPins(new byte[16]));

    [Fact]
    public void Generate_GivesSixDigits_AndVaries()
    {
        var pins = Enumerable.Range(0, 200).Select(_ => PickupPins.Generate()).ToList();

        Assert.All(pins, pin => Assert.Matches("^[0-9]{6}$", pin));
        Assert.True(pins.Distinct().Count() > 190, "200 PINs from a million values are nearly all different.");
    }

    [Fact]
    public void Hash_IsSelfDescribingPbkdf2()
    {
        var hash = Pins.Hash("042917");

        var parts = hash.Split('$');
        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha256-hmac", parts[0]);
        Assert.Equal(PickupPins.Iterations, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.DoesNotContain("042917", hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_HashWithAnotherWorkFactor_StillWorks()
    {
        // A PIN hashed before the work factor changed (the count is read from the hash).
        var salt = new byte[16];
        var derived = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            "042917"u8.ToArray(), salt, 210_000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var older = $"pbkdf2-sha256$210000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";

        Assert.True(Pins.Verify("042917", older));
        Assert.False(Pins.Verify("042918", older));
    }

    [Fact]
    public void Verify_RightPin_True_WrongPin_False()
    {
        var hash = Pins.Hash("042917");

        Assert.True(Pins.Verify("042917", hash));
        Assert.False(Pins.Verify("042918", hash));
        Assert.False(Pins.Verify("42917", hash));
        Assert.False(Pins.Verify("", hash));
        Assert.False(Pins.Verify(null, hash));
    }

    [Fact]
    public void Hash_SamePinTwice_UsesDifferentSalts()
    {
        var first = Pins.Hash("123456");
        var second = Pins.Hash("123456");

        Assert.NotEqual(first, second);
        Assert.NotEqual(first.Split('$')[2], second.Split('$')[2]);
        Assert.True(Pins.Verify("123456", first));
        Assert.True(Pins.Verify("123456", second));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("123456")]
    [InlineData("pbkdf2-sha256$210000$c2FsdA==")]
    [InlineData("sha1$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$abc$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$-1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$2000000000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$210000$not base64!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$210000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    public void Verify_MalformedHash_IsFalse(string? hash) => Assert.False(Pins.Verify("123456", hash));
}
