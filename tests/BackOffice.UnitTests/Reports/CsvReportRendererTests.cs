using System.Text;
using BackOffice.Application.Reports;

namespace BackOffice.UnitTests.Reports;

public class CsvReportRendererTests
{
    [Fact]
    public void File_StartsWithTheUtf8ByteOrderMark_AndUsesSemicolonsAndCrLf()
    {
        var bytes = SampleReports.Render(new CsvReportRenderer(), SampleReports.Journal(rows: 2));

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("Tagesjournal;Box DLZ-1 – Dienstleistungszentrum;Zeitraum 01.11.2026 – 30.11.2026;Erstellt am 21.11.2026 14:05 von Erika Mustermann\r\n",
            text, StringComparison.Ordinal);
        Assert.Contains("\r\nZeitpunkt;Vorgang;Fach;Dokument;Mitarbeiter/in;Bemerkung\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nEinlagen;2\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unterschrift", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded", "\" padded\"")]
    [InlineData("=SUM(A1:A2)", "'=SUM(A1:A2)")]
    [InlineData("+49170", "+49170")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@evil", "'@evil")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("=HYPERLINK(\"x\";\"y\")", "\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\"")]
    [InlineData("-1", "-1")]
    [InlineData("-1.234,5", "-1.234,5")]
    [InlineData("", "")]
    public void Cells_AreQuotedWhenNeeded_AndFormulasDefused(string value, string written)
    {
        using var writer = new StringWriter();

        CsvReportRenderer.WriteCell(writer, value);

        Assert.Equal(written, writer.ToString());
    }
}
