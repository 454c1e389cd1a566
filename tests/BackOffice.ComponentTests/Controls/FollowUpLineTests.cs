using BackOffice.Application.DestructionBin;
using BackOffice.Web.Components.Controls;

namespace BackOffice.ComponentTests.Controls;

/// <summary>One line of the bin reconciliation: who followed it up, by name as in the PDFs; or the button to do it.</summary>
public class FollowUpLineTests : ComponentTest
{
    private static readonly Dictionary<string, string> Names = new() { ["teamleitung@demo.local"] = "Thomas Berger" };

    [Fact]
    public void FollowedUp_NamesThePerson_NotTheirUserName()
    {
        var mark = new FollowUpMark("staff:teamleitung@demo.local", new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero), "Ausweis lag im Fach");

        var line = Render<FollowUpLine>(p => p.Add(l => l.Mark, mark).Add(l => l.Names, Names));

        var text = line.Find("[data-testid=bin-followed-up]").TextContent;
        Assert.Contains("nachgegangen von Thomas Berger am 02.12.2026 10:30: Ausweis lag im Fach", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);
        Assert.Empty(line.FindAll("button"));
    }

    [Fact]
    public void NotYetFollowedUp_OffersTheButton_WhichAsksThePage()
    {
        var asked = 0;

        var line = Render<FollowUpLine>(p => p.Add(l => l.Names, Names).Add(l => l.OnMark, () => asked++));
        line.Find("[data-testid=bin-follow-up]").Click();

        Assert.Equal("Nachgegangen …", line.Find("button").TextContent.Trim());
        Assert.Equal(1, asked);
    }
}
