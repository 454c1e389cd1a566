using BackOffice.Web.Components.Controls;

namespace BackOffice.ComponentTests.Controls;

/// <summary>The small controls every page uses: its heading, the access-denied message, a field's error.</summary>
public class ShellControlsTests : ComponentTest
{
    [Fact]
    public void PageHeader_IsThePagesOnlyH1_WithItsSubtitle()
    {
        var header = Render<PageHeader>(p => p.Add(h => h.Title, "Dokumente").Add(h => h.Subtitle, "Alle Dokumente"));

        Assert.Equal("Dokumente", Assert.Single(header.FindAll("h1")).TextContent.Trim());
        Assert.Equal("Alle Dokumente", header.Find("header p").TextContent.Trim());
    }

    [Fact]
    public void PageHeader_WithoutSubtitle_ShowsOnlyTheHeading()
    {
        var header = Render<PageHeader>(p => p.Add(h => h.Title, "Seite nicht gefunden"));

        Assert.Empty(header.FindAll("header p"));
    }

    [Fact]
    public void AccessDeniedMessage_SaysWhyAndLeadsBackToTheOverview()
    {
        var message = Render<AccessDeniedMessage>();

        Assert.Equal("alert", message.Find(".app-denied").GetAttribute("role"));
        Assert.Equal("Zugriff verweigert", message.Find("h1").TextContent.Trim());
        Assert.Contains("Ihre Rolle berechtigt nicht", message.Markup, StringComparison.Ordinal);
        var back = message.Find("a");
        Assert.Equal("/", back.GetAttribute("href"));
        Assert.Equal("Zur Übersicht", back.TextContent.Trim());
    }

    [Fact]
    public void FieldError_ShowsTheMessageOfItsOwnFieldOnly()
    {
        var errors = new Dictionary<string, string> { ["DocumentNumber"] = "Die Dokumentnummer hat 9 Zeichen." };

        var own = Render<FieldError>(p => p.Add(f => f.Errors, errors).Add(f => f.Field, "DocumentNumber"));
        var other = Render<FieldError>(p => p.Add(f => f.Errors, errors).Add(f => f.Field, "Type"));

        var shown = own.Find("[role=alert]");
        Assert.Equal("Die Dokumentnummer hat 9 Zeichen.", shown.TextContent.Trim());
        Assert.Contains("mud-error-text", shown.ClassList);
        Assert.Equal("", other.Markup.Trim());
    }
}
