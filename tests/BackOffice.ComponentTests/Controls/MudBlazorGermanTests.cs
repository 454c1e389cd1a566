using System.Collections;
using System.Globalization;
using System.Resources;
using BackOffice.Web;
using MudBlazor;

namespace BackOffice.ComponentTests.Controls;

/// <summary>MudBlazor's own texts (pager, close buttons, filters) appear in German.</summary>
public class MudBlazorGermanTests : ComponentTest
{
    [Fact]
    public void EveryTextMudBlazorShips_HasAGermanTranslation()
    {
        var english = EnglishTexts();
        var german = new ResourceManager("BackOffice.Web.Resources.MudBlazorTexts", typeof(MudBlazorTexts).Assembly)
            .GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

        Assert.NotEmpty(english);
        Assert.Empty(english.Keys.Except(german.Keys).Order());
        Assert.Empty(german.Keys.Except(english.Keys).Order());
        // Same placeholders, so MudBlazor's arguments land where the German text expects them.
        Assert.All(english, e => Assert.Equal(Placeholders(e.Value), Placeholders(german[e.Key])));
    }

    [Fact]
    public void DataGridPager_SpeaksGerman()
    {
        var items = Enumerable.Range(1, 42).Select(i => new Row(i)).ToList();

        var grid = Render<MudDataGrid<Row>>(p => p
            .Add(g => g.Items, items)
            .Add(g => g.Columns, (RenderFragment)(b =>
            {
                b.OpenComponent<PropertyColumn<Row, int>>(0);
                b.AddAttribute(1, nameof(PropertyColumn<Row, int>.Property), (System.Linq.Expressions.Expression<Func<Row, int>>)(r => r.Number));
                b.CloseComponent();
            }))
            .Add(g => g.PagerContent, (RenderFragment)(b =>
            {
                b.OpenComponent<MudDataGridPager<Row>>(0);
                b.CloseComponent();
            })));

        var pager = grid.Find(".mud-table-pagination");
        Assert.Contains("Zeilen pro Seite:", pager.TextContent, StringComparison.Ordinal);
        Assert.Contains("1–10 von 42", pager.TextContent, StringComparison.Ordinal);
        Assert.NotNull(grid.Find("button[aria-label='Nächste Seite']"));
        Assert.DoesNotContain("Rows per page", grid.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void AlertCloseButton_IsNamedInGerman()
    {
        var alert = Render<MudAlert>(p => p.Add(a => a.ShowCloseIcon, true).AddChildContent("Hinweis"));

        Assert.Equal("Schließen", alert.Find("button").GetAttribute("aria-label"));
    }

    private static Dictionary<string, string> EnglishTexts()
    {
        var assembly = typeof(MudLocalizer).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("LanguageResource.resources", StringComparison.Ordinal));
        using var reader = new ResourceReader(assembly.GetManifestResourceStream(name)!);
        return reader.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static string[] Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order().ToArray();

    public sealed record Row(int Number);
}
