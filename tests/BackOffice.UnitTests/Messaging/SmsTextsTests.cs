using System.Reflection;
using System.Xml.Linq;
using BackOffice.Application.Messaging;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Messaging;

namespace BackOffice.UnitTests.Messaging;

public partial class SmsTextsTests
{
    private static readonly TimeOnly Opens = new(7, 30);

    // The demo box DLZ-1's hours.
    private static readonly OpeningPeriod[] StandardHours =
    [
        new() { Day = DayOfWeek.Monday, Opens = Opens, Closes = new TimeOnly(16, 0) },
        new() { Day = DayOfWeek.Tuesday, Opens = Opens, Closes = new TimeOnly(16, 0) },
        new() { Day = DayOfWeek.Wednesday, Opens = Opens, Closes = new TimeOnly(13, 0) },
        new() { Day = DayOfWeek.Thursday, Opens = Opens, Closes = new TimeOnly(18, 0) },
        new() { Day = DayOfWeek.Friday, Opens = Opens, Closes = new TimeOnly(13, 0) },
    ];

    [Fact]
    public void OpeningHours_GroupsConsecutiveDaysWithTheSameHours() =>
        Assert.Equal("Mo–Di 07:30–16:00, Mi 07:30–13:00, Do 07:30–18:00, Fr 07:30–13:00",
            SmsTexts.OpeningHoursSummary(false, StandardHours.Reverse()));

    [Fact]
    public void OpeningHours_AroundTheClock() =>
        Assert.Equal("rund um die Uhr", SmsTexts.OpeningHoursSummary(true, StandardHours));

    [Fact]
    public void OpeningHours_SplitDaysAndWeekend()
    {
        OpeningPeriod[] periods =
        [
            .. Enumerable.Range(1, 5).Select(d => new OpeningPeriod { Day = (DayOfWeek)d, Opens = new(8, 0), Closes = new(12, 0) }),
            .. Enumerable.Range(1, 5).Select(d => new OpeningPeriod { Day = (DayOfWeek)d, Opens = new(13, 0), Closes = new(16, 0) }),
            new() { Day = DayOfWeek.Saturday, Opens = new(9, 0), Closes = new(12, 0) },
        ];

        Assert.Equal("Mo–Fr 08:00–12:00 und 13:00–16:00, Sa 09:00–12:00", SmsTexts.OpeningHoursSummary(false, periods));
    }

    [Fact]
    public void OpeningHours_None_PointsToTheNotice() =>
        Assert.Equal("siehe Aushang", SmsTexts.OpeningHoursSummary(false, []));

    [Fact]
    public void ReadyForPickup_NamesDocumentAndHolderBoxHoursDeadlinePinAndWhatToBring()
    {
        var box = new Box { Name = "Dienstleistungszentrum", Address = "Willi-Becker-Allee 7, 40227 Düsseldorf", OpeningHours = [.. StandardHours] };
        // 22:59 UTC on 30 November is already 1 December in Düsseldorf.
        var deadline = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);

        var text = SmsTexts.ReadyForPickup([new SmsDocument("Reisepass", "Max")], box, deadline, "042917");

        Assert.Equal(
            "Ihr neues Dokument (Reisepass Max) liegt zur Abholung bereit: Ausgabebox Dienstleistungszentrum, " +
            "Willi-Becker-Allee 7, 40227 Düsseldorf. Geöffnet: Mo–Di 07:30–16:00, Mi 07:30–13:00, Do 07:30–18:00, " +
            "Fr 07:30–13:00. Abholung bis 01.12.2026. PIN: 042917. An der Box brauchen Sie diese Handynummer, die PIN " +
            "und den alten Ausweis oder das Geburtsdatum von Max.",
            text);
        Assert.DoesNotContain('\n', text);
    }

    [Fact]
    public void PinReissued_HasTheNewPinAndSaysTheOldOneIsVoid()
    {
        var text = SmsTexts.PinReissued([new SmsDocument("Personalausweis", "Erika")], "Bürgerbüro Holthausen", new DateTimeOffset(2026, 7, 1, 10, 0, 0, TimeSpan.Zero), "913370");

        Assert.Contains("Personalausweis Erika", text, StringComparison.Ordinal);
        Assert.Contains("Ausgabebox Bürgerbüro Holthausen – PIN: 913370.", text, StringComparison.Ordinal);
        Assert.Contains("Die bisherige PIN gilt nicht mehr.", text, StringComparison.Ordinal);
        Assert.Contains("Abholung bis 01.07.2026.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadyForPickup_Household_NamesEachDocumentByHolderWithOnePinAndAnyHoldersThirdFactor()
    {
        var box = new Box { Name = "Dienstleistungszentrum", Address = "Willi-Becker-Allee 7", OpenAroundTheClock = true };

        var text = SmsTexts.ReadyForPickup(
            [new SmsDocument("Reisepass", "Max"), new SmsDocument("Personalausweis", "Erika"), new SmsDocument("Kinderreisepass", "Lena")],
            box, new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), "042917");

        Assert.StartsWith("Ihre neuen Dokumente (Reisepass Max, Personalausweis Erika, Kinderreisepass Lena) liegen zusammen in einem Fach", text, StringComparison.Ordinal);
        Assert.Single(ReadyPin().Matches(text));
        Assert.Contains("den alten Ausweis oder das Geburtsdatum einer dieser Personen: Max, Erika oder Lena.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ihr Geburtsdatum", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadyForPickup_TwoIdCardsOfOneHousehold_AreToldApart()
    {
        var text = SmsTexts.ReadyForPickup([new SmsDocument("Personalausweis", "Max"), new SmsDocument("Personalausweis", "Erika")],
            "DLZ", "Allee 7", "rund um die Uhr", new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), "042917");

        Assert.Contains("(Personalausweis Max, Personalausweis Erika)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Erika Mustermann", "Erika")]
    [InlineData("Mustermann, Erika Maria", "Erika")]
    [InlineData("Max", "Max")]
    public void FirstName_OfTheWaysNamesAreWritten(string holder, string first) =>
        Assert.Equal(first, BackOffice.Application.Documents.Households.FirstName(holder));

    [System.Text.RegularExpressions.GeneratedRegex(@"PIN: \d{6}")]
    private static partial System.Text.RegularExpressions.Regex ReadyPin();

    [Fact]
    public void EveryPurpose_HasAGermanName()
    {
        var root = typeof(SmsTextsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var keys = XDocument.Load(Path.Combine(root, "src", "BackOffice.Web", "Resources", "SharedResource.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

        Assert.All(Enum.GetNames<SmsPurpose>(), purpose => Assert.Contains($"SmsPurpose.{purpose}", keys));
    }
}

/// <summary>The reminder before the deadline, to the holder or to the person they authorised (Vollmacht).</summary>
public partial class SmsTextsTests
{
    private static readonly DateTimeOffset ReminderDeadline = new(2026, 12, 11, 22, 59, 59, TimeSpan.Zero);

    [Fact]
    public void PickupReminder_ToTheHolder_SpeaksOfTheirDocument() =>
        Assert.Equal("Erinnerung: Ihr neues Dokument (Reisepass Max) liegt noch in der Ausgabebox Dienstleistungszentrum. Bitte holen Sie es "
            + "bis 11.12.2026 ab; Ihre PIN aus der ersten SMS gilt weiter. Danach liegt es für Sie am Schalter bereit.",
            SmsTexts.PickupReminder([new SmsDocument("Reisepass", "Max")], "Dienstleistungszentrum", ReminderDeadline));

    [Fact]
    public void PickupReminder_ToTheAuthorisedPerson_AddressesThemAsSuch_AndNamesNoMoreOfTheHolderThanThePinSms()
    {
        List<SmsDocument> documents = [new("Reisepass", "Max"), new("Personalausweis", "Erika")];

        var text = SmsTexts.PickupReminder(documents, "Dienstleistungszentrum", ReminderDeadline, authorized: true);

        Assert.Equal("Erinnerung: Sie sind bevollmächtigt, Dokumente (Reisepass Max, Personalausweis Erika) aus der Ausgabebox Dienstleistungszentrum "
            + "abzuholen. Bitte holen Sie sie bis 11.12.2026 ab; die PIN aus der SMS an Sie gilt weiter. Danach liegen sie am Schalter bereit.", text);
        Assert.DoesNotContain("Ihr neues", text, StringComparison.Ordinal);
        // Nothing of the holder beyond the PIN SMS's list of documents (type and first name).
        var pinSms = SmsTexts.ReadyForPickup(documents, "Dienstleistungszentrum", "Willi-Becker-Allee 7", "rund um die Uhr", ReminderDeadline, "123456", authorized: true);
        Assert.Contains("(Reisepass Max, Personalausweis Erika)", pinSms, StringComparison.Ordinal);
    }
}
