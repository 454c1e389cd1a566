using BackOffice.Application.Boxes;
using BackOffice.Application.Documents;

namespace BackOffice.Web.Reports;

/// <summary>What the Berichte page looks up for its form: the boxes to choose from and a document by its number.</summary>
/// <remarks>A seam of the page's own, so its component test runs without a database.</remarks>
public interface IReportLookups
{
    Task<IReadOnlyList<string>> BoxCodesAsync(CancellationToken cancellationToken = default);

    Task<DocumentReference?> FindDocumentAsync(string documentNumber, CancellationToken cancellationToken = default);
}

/// <summary>The lookups from the application's query services.</summary>
internal sealed class ReportLookups(BoxAdministration boxes, DocumentQueries documents) : IReportLookups
{
    public async Task<IReadOnlyList<string>> BoxCodesAsync(CancellationToken cancellationToken = default) =>
        (await boxes.ListAsync(cancellationToken)).Select(b => b.Code).ToList();

    public Task<DocumentReference?> FindDocumentAsync(string documentNumber, CancellationToken cancellationToken = default) =>
        documents.FindByNumberAsync(documentNumber, cancellationToken);
}
