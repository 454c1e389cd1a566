namespace BackOffice.UnitTests.Reports;

/// <summary>PDFsharp 6.2.x is MIT; from 6.5 it names the AGPL (docs/decisions/0010). The build must never drift there.</summary>
public class PdfLibraryLicenceTests
{
    [Fact]
    public void PdfSharpInTheApp_IsTheMitLicensedLine()
    {
        var version = typeof(PdfSharp.Pdf.PdfDocument).Assembly.GetName().Version!;

        Assert.Equal(6, version.Major);
        Assert.True(version.Minor <= 2, $"PDFsharp {version} is not the MIT-licensed 6.2 line.");
    }
}
