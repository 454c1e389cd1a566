using BackOffice.Application.Reports;
using BackOffice.Domain.Boxes;
using BackOffice.Domain.Documents;

namespace BackOffice.UnitTests.Reports;

public class ReportRequestTests
{
    [Fact]
    public void Parse_AValidJournalRequest_ReadsBoxAndPeriod()
    {
        var (request, error) = ReportRequest.Parse(ReportKind.DailyJournal, " DLZ-1 ", "2026-11-01", "2026-11-30", null);

        Assert.Null(error);
        Assert.Equal(new ReportRequest(ReportKind.DailyJournal, "DLZ-1", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)), request);
        Assert.Equal("box=DLZ-1&from=2026-11-01&to=2026-11-30", request!.ToQueryString());
    }

    [Fact]
    public void Period_OfAFullLeapYear_IsAllowed_ButNotOneDayMore()
    {
        Assert.Null(new ReportRequest(ReportKind.DailyJournal, "DLZ-1", new DateOnly(2028, 1, 1), new DateOnly(2028, 12, 31)).Validate());
        Assert.NotNull(new ReportRequest(ReportKind.DailyJournal, "DLZ-1", new DateOnly(2028, 1, 1), new DateOnly(2029, 1, 1)).Validate());
    }

    [Fact]
    public void ReportsWithoutAPeriod_IgnoreOne()
    {
        var (request, error) = ReportRequest.Parse(ReportKind.Occupancy, "DLZ-1", null, null, null);

        Assert.Null(error);
        Assert.Equal("box=DLZ-1", request!.ToQueryString());
    }

    [Theory]
    [InlineData("Überfällige Dokumente", "DLZ-1", "2026-11-20", "Ueberfaellige-Dokumente_DLZ-1_2026-11-20")]
    [InlineData("Tagesjournal", "A/B:..", "x", "Tagesjournal_AB_x")]
    public void FileNames_AreAscii(string title, string box, string date, string expected) =>
        Assert.Equal(expected, ReportService.FileName(title, box, date, null));

    [Fact]
    public void EveryStateAndSize_HasAGermanNameForReports()
    {
        Assert.All(Enum.GetValues<DocumentState>(), s => Assert.True(ReportNames.DocumentStates.ContainsKey(s), $"{s}"));
        Assert.All(Enum.GetValues<CompartmentState>(), s => Assert.True(ReportNames.CompartmentStates.ContainsKey(s), $"{s}"));
        Assert.All(Enum.GetValues<CompartmentSize>(), s => Assert.True(ReportNames.CompartmentSizes.ContainsKey(s), $"{s}"));
    }

    [Theory]
    [InlineData("staff:jana@demo.local", "Jana Neumann")]
    [InlineData("staff:unknown@demo.local", "unknown@demo.local")]
    [InlineData("box:DLZ-1", "Box DLZ-1")]
    [InlineData("api:registration", "Registrierungssoftware")]
    [InlineData("system", "System")]
    public void Actors_ArePrintedAsPeopleReadThem(string actor, string printed) =>
        Assert.Equal(printed, ReportNames.Actor(actor, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["jana@demo.local"] = "Jana Neumann" }));
}
