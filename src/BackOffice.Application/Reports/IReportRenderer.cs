namespace BackOffice.Application.Reports;

public enum ReportFileFormat
{
    Pdf,
    Csv,
}

/// <summary>Turns a <see cref="Report"/> into a file. One per format; both read the same model.</summary>
/// <remarks>Singletons, thread-safe: one call renders one report and shares no state with another.</remarks>
public interface IReportRenderer
{
    ReportFileFormat Format { get; }

    string ContentType { get; }

    /// <summary>File name extension with its dot, e.g. ".pdf".</summary>
    string Extension { get; }

    void Render(Report report, Stream output);
}
