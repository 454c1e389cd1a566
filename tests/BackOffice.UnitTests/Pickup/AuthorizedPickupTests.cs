using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Application.Messaging;
using BackOffice.Application.Pickup;
using BackOffice.Domain.Documents;

namespace BackOffice.UnitTests.Pickup;

/// <summary>The rules around a Vollmacht and a deadline extension that need no database: input, settings, SMS texts, households.</summary>
public class AuthorizedPickupTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly DateTimeOffset Deadline = new(2026, 12, 22, 22, 59, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_AGrownUpWithANumber_IsTrimmedAndNormalised()
    {
        var (person, errors) = AuthorizedPerson.Validate(
            new AuthorizedPersonDraft { Name = "  Max Mustermann ", DateOfBirth = "31.01.1960", MobileNumber = "0160 9876543" }, Today);

        Assert.Empty(errors);
        Assert.Equal(new AuthorizedPerson("Max Mustermann", new DateOnly(1960, 1, 31), "+491609876543"), person);
    }

    [Theory]
    [InlineData("", "31.01.1960", "0160 9876543", nameof(AuthorizedPersonDraft.Name), RefusalCode.HolderNameRequired)]
    [InlineData("<b>Max</b>", "31.01.1960", "0160 9876543", nameof(AuthorizedPersonDraft.Name), RefusalCode.HolderNameCharacters)]
    [InlineData("Max Mustermann", "03.12.2008", "0160 9876543", nameof(AuthorizedPersonDraft.DateOfBirth), RefusalCode.AuthorizedDateOfBirthInvalid)]
    [InlineData("Max Mustermann", "31.02.1960", "0160 9876543", nameof(AuthorizedPersonDraft.DateOfBirth), RefusalCode.AuthorizedDateOfBirthInvalid)]
    [InlineData("Max Mustermann", "31.01.1960", "0211 123456", nameof(AuthorizedPersonDraft.MobileNumber), RefusalCode.MobileNumberInvalid)]
    public void Validate_BadInput_IsRefusedByField(string name, string birth, string mobile, string field, RefusalCode code)
    {
        var (person, errors) = AuthorizedPerson.Validate(new AuthorizedPersonDraft { Name = name, DateOfBirth = birth, MobileNumber = mobile }, Today);

        Assert.Null(person);
        Assert.Equal(code, Assert.Contains(field, errors).Code);
    }

    [Fact]
    public void Validate_TheDayOfComingOfAge_IsAccepted() =>
        Assert.NotNull(AuthorizedPerson.Validate(
            new AuthorizedPersonDraft { Name = "Max Mustermann", DateOfBirth = "02.12.2008", MobileNumber = "0160 9876543" }, Today).Person);

    [Fact]
    public void Options_DefaultToTenDaysTwice_AndRefuseNonsense()
    {
        var defaults = new PickupOptions();
        Assert.Equal((10, 2), (defaults.ExtensionDays, defaults.MaxExtensions));

        var result = new PickupOptionsValidator().Validate(null, new PickupOptions
        {
            PinPepper = Convert.ToBase64String(new byte[32]),
            ExtensionDays = 0,
            MaxExtensions = -1,
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Pickup:ExtensionDays", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Pickup:MaxExtensions", StringComparison.Ordinal));
    }

    [Fact]
    public void PinReissued_ToTheAuthorisedPerson_AsksForTheirOwnBirthDate()
    {
        var text = SmsTexts.PinReissued([new SmsDocument("Kinderreisepass", "Mia")], "Dienstleistungszentrum", Deadline, "123456", authorized: true);

        Assert.Equal(
            "Sie sind bevollmächtigt, ein Dokument (Kinderreisepass Mia) aus der Ausgabebox Dienstleistungszentrum abzuholen – PIN: 123456. " +
            "Die bisherige PIN gilt nicht mehr. Abholung bis 22.12.2026. An der Box brauchen Sie diese Handynummer, die PIN und Ihr eigenes " +
            "Geburtsdatum (oder den alten Ausweis von Mia).",
            text);
    }

    [Fact]
    public void DeadlineExtended_NamesTheNewDateInBerlin_AndKeepsThePin()
    {
        // 23:30 UTC on 22 December is already the 23rd in Düsseldorf.
        var text = SmsTexts.DeadlineExtended([new SmsDocument("Reisepass", "Max"), new SmsDocument("Personalausweis", "Erika")],
            "Bürgerbüro Holthausen", new DateTimeOffset(2026, 12, 22, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal(
            "Die Abholfrist für die Dokumente (Reisepass Max, Personalausweis Erika) in der Ausgabebox Bürgerbüro Holthausen wurde verlängert: " +
            "Abholung jetzt bis 23.12.2026. Die PIN gilt weiter.",
            text);
    }

    [Fact]
    public void PinRecipients_AnAuthorisedPersonsNumberOnce_MarkedAsAuthorised()
    {
        var parent = Document.Create(DocumentType.Passport, "CF1G2H3J4", "Eva Muster", new DateOnly(1980, 5, 5), "+491701111111", [], "A-1", Guid.Empty, false);
        var child = Document.Create(DocumentType.ChildPassport, "CF1G2H3J5", "Mia Muster", new DateOnly(2016, 5, 5), "+491702222222", [], "A-2", Guid.Empty, false);
        child.Register(Guid.NewGuid(), DateTimeOffset.UnixEpoch, "api", "Erfasst.");
        child.RecordAuthorization("Eva Muster", new DateOnly(1980, 5, 5), "+491701111111", AuthorizationProof.ParentalCustody, null,
            DateTimeOffset.UnixEpoch, "staff:x", "Vollmacht erfasst.");

        var recipients = Households.PinRecipients([parent, child]).ToList();

        var only = Assert.Single(recipients);
        Assert.Equal(("+491701111111", true), (only.MobileNumber, only.Authorized));
    }
}
