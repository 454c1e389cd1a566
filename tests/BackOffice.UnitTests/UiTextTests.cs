using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BackOffice.Application.Common;
using BackOffice.Domain.Staff;
using BackOffice.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BackOffice.UnitTests;

/// <summary>Every UI text the components ask for exists in the German resources (a missing key shows as its name).</summary>
public partial class UiTextTests
{
    private static readonly string WebProject = Path.Combine(RepositoryRoot(), "src", "BackOffice.Web");

    private static readonly HashSet<string> ResourceKeys = XDocument
        .Load(Path.Combine(WebProject, "Resources", "SharedResource.resx"))
        .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void EveryLiteralKeyUsedInTheWebProject_ExistsInTheResources()
    {
        var used = Directory.EnumerateFiles(WebProject, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LocalizedKey().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value))
            .ToHashSet();

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(k => !ResourceKeys.Contains(k)).Order());
    }

    [Fact]
    public void EveryRole_HasAGermanName() =>
        Assert.All(StaffRoles.All, role => Assert.Contains($"Role.{role}", ResourceKeys));

    [Fact]
    public void EveryCompartmentAndDoorState_HasAGermanName()
    {
        Assert.All(Enum.GetNames<BackOffice.Domain.Boxes.CompartmentState>(), s => Assert.Contains($"CompartmentState.{s}", ResourceKeys));
        Assert.All(Enum.GetNames<BackOffice.Domain.Boxes.DoorState>(), s => Assert.Contains($"DoorState.{s}", ResourceKeys));
        Assert.All(Enum.GetNames<BackOffice.Domain.Documents.DocumentState>(), s => Assert.Contains($"DocumentState.{s}", ResourceKeys));
        Assert.All(Enum.GetNames<BackOffice.Domain.Documents.LoadStatus>(), s => Assert.Contains($"Load.Status.{s}", ResourceKeys));
    }

    [Fact]
    public void EveryReport_HasAGermanNameAndDescription() =>
        Assert.All(Enum.GetNames<BackOffice.Application.Reports.ReportKind>(), kind =>
        {
            Assert.Contains($"ReportKind.{kind}", ResourceKeys);
            Assert.Contains($"Reports.About.{kind}", ResourceKeys);
        });

    [Fact]
    public void EveryRefusal_HasAGermanText() =>
        Assert.All(Enum.GetNames<RefusalCode>(), code => Assert.Contains($"Refusal.{code}", ResourceKeys));

    [Fact]
    public void Refusals_AreWordedWithTheirArguments_NumbersGermanAndTimesInOfficeTime()
    {
        var localizer = new ResourceManagerStringLocalizerFactory(
                Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
            .Create(typeof(SharedResource));

        Assert.Equal("Die Datei hat mehr als 20.000 Zeilen; bitte in kleineren Teilen importieren.",
            localizer.Refusal(new Refusal(RefusalCode.FileTooManyRows, 20_000)));
        Assert.Equal("Die Ausgabebox DLZ-1 ist offline (letztes Lebenszeichen 01.07.2026 14:05). Das Fach kann jetzt nicht geöffnet werden.",
            localizer.Refusal(new Refusal(RefusalCode.BoxOffline, "DLZ-1", new DateTimeOffset(2026, 7, 1, 12, 5, 0, TimeSpan.Zero))));
        Assert.Equal("Der Name enthält unzulässige Zeichen (< > { }).", localizer.Refusal(new Refusal(RefusalCode.HolderNameCharacters)));
        Assert.Equal("Fach 03-07 ist für 3 Dokumente zu klein.", localizer.Refusal(new Refusal(RefusalCode.CompartmentTooSmall, "03-07", 3)));
    }

    private static string RepositoryRoot() =>
        typeof(UiTextTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    [GeneratedRegex("""(?:\bL|Localizer)\["(?<key>[A-Za-z0-9_.]+)"[\],]""")]
    private static partial Regex LocalizedKey();
}
