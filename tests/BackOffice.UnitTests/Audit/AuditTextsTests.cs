using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using BackOffice.Application.Audit;
using BackOffice.Web;
using BackOffice.Web.Components.Pages.Audit;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BackOffice.UnitTests.Audit;

/// <summary>The Protokoll names every action, outcome and subject in German (issue 13: it showed timeline.PickedUp, PickupOpening).</summary>
public partial class AuditTextsTests
{
    private static readonly IStringLocalizer L = new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
        .Create(typeof(SharedResource));

    public AuditTextsTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
    }

    [Fact]
    public void EveryActionTheBackOfficeWrites_HasAGermanName()
    {
        var root = typeof(AuditTextsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        // Every dotted lower-case literal in the layers that write audit lines, less the bridge protocol's field names.
        var written = new[] { "BackOffice.Application", "BackOffice.Infrastructure", "BackOffice.Web" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => ActionLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups["code"].Value))
            .Where(code => !code.StartsWith("doors.", StringComparison.Ordinal))
            .ToHashSet();

        Assert.NotEmpty(written);
        Assert.Empty(written.Where(code => AuditTexts.Action(L, code) == code).Order());
        Assert.Empty(written.Except(AuditTexts.PlainActions).Order());
    }

    [Fact]
    public void TimelineAndReportActions_AreNamedInGerman()
    {
        Assert.Equal("Verlauf: abgeholt", AuditTexts.Action(L, "timeline.PickedUp"));
        Assert.Equal("Bericht erstellt: Vorgangsauszug", AuditTexts.Action(L, "report.vorgangsauszug"));
        Assert.All(AuditTexts.Choices(L), choice => Assert.NotEqual(choice.Key, choice.Value));
        Assert.Equal("something.new", AuditTexts.Action(L, "something.new"));
    }

    [Fact]
    public void Outcomes_AreGerman_ATimelineLinesStateAsTheDocumentPageNamesIt()
    {
        Assert.Equal("wird abgeholt", AuditTexts.Outcome(L, "PickupOpening"));
        Assert.Equal("erfolgreich", AuditTexts.Outcome(L, "ok"));
        Assert.Equal("abgelehnt", AuditTexts.Outcome(L, "refused"));
    }

    [Fact]
    public void Subjects_AreNamedAsPeopleCallThem()
    {
        var id = Guid.NewGuid();
        AuditLine Line(string subject, string? name = null) => new(1, DateTimeOffset.UnixEpoch, "system", "x", subject, "ok", null, "System", name);

        Assert.Equal("Dokument CF1G2H3J4", AuditTexts.Subject(L, Line($"document:{id}", "CF1G2H3J4")));
        Assert.Equal("Fach 01-03 (DLZ-1)", AuditTexts.Subject(L, Line("compartment:DLZ-1/01-03")));
        Assert.Equal("Box HOL-1", AuditTexts.Subject(L, Line("box:HOL-1")));
        Assert.Equal("Konto Jana Neumann", AuditTexts.Subject(L, Line("user:jana@demo.local", "Jana Neumann")));
        Assert.Equal("Einstellung Sms:Sender", AuditTexts.Subject(L, Line("setting:Sms:Sender")));
        Assert.Equal("Schlüssel für Datenschutz", AuditTexts.Subject(L, Line($"dataprotection-key:{id}")));
    }

    [GeneratedRegex(@"(?:Record\(db, [^;]*?|WriteAsync\([^;]*?|Action = |const string \w+Action = )""(?<code>[a-z_]+(?:\.[a-z_]+)+)""")]
    private static partial Regex ActionLiteral();
}
