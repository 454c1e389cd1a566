using BackOffice.Application.Messaging;

namespace BackOffice.UnitTests.Messaging;

public class PhoneNumbersTests
{
    [Theory]
    [InlineData("+4917012345678", "+49170*****678")]
    [InlineData("+491511234567", "+49151****567")]
    [InlineData("+3312345678", "+3312****78")]
    [InlineData("+1234567", "+1****67")]
    [InlineData("+12", "***")]
    public void Mask_KeepsPrefixAndLastDigitsOnly(string number, string masked) => Assert.Equal(masked, PhoneNumbers.Mask(number));

    [Theory]
    [InlineData("+4917012345678", true)]
    [InlineData("+491701234567890", true)]
    [InlineData("4917012345678", false)]
    [InlineData("+49 170 12345678", false)]
    [InlineData("+04917012345678", false)]
    [InlineData("+4917012345678901", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsE164(string? number, bool valid) => Assert.Equal(valid, PhoneNumbers.IsE164(number));
}
