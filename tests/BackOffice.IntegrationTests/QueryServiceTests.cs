using BackOffice.Application.Audit;
using BackOffice.Application.Common;
using BackOffice.Application.Documents;
using BackOffice.Domain.Documents;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests;

/// <summary>The pages' query services filter, sort and page in the database, and answer only what the page shows.</summary>
public class QueryServiceTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private DocumentQueries Documents => app.Services.GetRequiredService<DocumentQueries>();

    [Fact]
    public async Task DocumentList_FiltersByNumberCaseInsensitively_SortsAndPages()
    {
        await RegisterAsync("QRY-1", "CZZ000003", "DLZ-1");
        await RegisterAsync("QRY-2", "CZZ000001", "DLZ-1");
        await RegisterAsync("QRY-3", "CZZ000002", "HOL-1");
        // Only this test's numbers start with CZZ: the class shares one database and xunit runs its tests in any order.
        var byNumber = new ColumnFilter<DocumentColumn>(DocumentColumn.DocumentNumber, FilterMatch.Contains, "czz0");

        var first = await Documents.ListAsync(new GridRequest<DocumentColumn>(0, 2, DocumentColumn.DocumentNumber, Filters: [byNumber]), Ct);
        var second = await Documents.ListAsync(new GridRequest<DocumentColumn>(2, 2, DocumentColumn.DocumentNumber, Filters: [byNumber]), Ct);
        var holthausen = await Documents.ListAsync(new GridRequest<DocumentColumn>(0, 10, DocumentColumn.DocumentNumber, Descending: true, Filters:
            [byNumber, new ColumnFilter<DocumentColumn>(DocumentColumn.BoxCode, FilterMatch.EqualTo, "hol-1")]), Ct);

        Assert.Equal(3, first.Total);
        Assert.Equal(["CZZ000001", "CZZ000002"], first.Rows.Select(r => r.DocumentNumber));
        Assert.Equal(["CZZ000003"], second.Rows.Select(r => r.DocumentNumber));
        Assert.Equal("Max Mustermann", first.Rows[0].HolderName);
        Assert.Equal(["CZZ000002"], holthausen.Rows.Select(r => r.DocumentNumber));
    }

    [Fact]
    public async Task DocumentList_FiltersByState()
    {
        await RegisterAsync("QRY-4", "CYY000004", "DLZ-1");

        var arrived = await Documents.ListAsync(new GridRequest<DocumentColumn>(0, 200, Filters:
            [new ColumnFilter<DocumentColumn>(DocumentColumn.State, FilterMatch.EqualTo, DocumentState.Arrived)]), Ct);
        var notArrived = await Documents.ListAsync(new GridRequest<DocumentColumn>(0, 200, Filters:
            [new ColumnFilter<DocumentColumn>(DocumentColumn.State, FilterMatch.NotEqualTo, DocumentState.Arrived)]), Ct);

        Assert.Contains(arrived.Rows, r => r.DocumentNumber == "CYY000004");
        Assert.All(arrived.Rows, r => Assert.Equal(DocumentState.Arrived, r.State));
        Assert.DoesNotContain(notArrived.Rows, r => r.DocumentNumber == "CYY000004");
    }

    [Fact]
    public async Task DocumentDetails_HaveBoxMaskedNumberAndTimeline_AndAreFoundByNumber()
    {
        var id = await RegisterAsync("QRY-5", "CYY000005", "HOL-1");

        var details = await Documents.GetAsync(id, Ct);
        var found = await Documents.FindByNumberAsync(" cyy000005 ", Ct);

        Assert.NotNull(details);
        Assert.Equal("HOL-1", details.BoxCode);
        Assert.DoesNotContain("1234567", details.MaskedMobileNumber, StringComparison.Ordinal);
        Assert.Equal(DocumentState.Arrived.ToString(), Assert.Single(details.Timeline).State);
        Assert.Equal(new DocumentReference(id, DocumentType.Passport, "CYY000005", "HOL-1"), found);
        Assert.Null(await Documents.GetAsync(Guid.NewGuid(), Ct));
    }

    [Fact]
    public async Task AuditSearch_MatchesTextCaseInsensitively_AndTakesPercentLiterally()
    {
        var trail = app.Services.GetRequiredService<AuditTrail>();
        await trail.WriteAsync("staff:query-test@demo.local", "test.query", "thing:100%-sure", "ok", cancellationToken: Ct);
        await trail.WriteAsync("staff:query-test@demo.local", "test.query", "thing:100-more", "ok", cancellationToken: Ct);
        var search = app.Services.GetRequiredService<AuditSearch>();

        var literal = await search.SearchAsync(new AuditFilter(Actor: "QUERY-TEST", Subject: "100%"), 0, 50, Ct);
        var both = await search.SearchAsync(new AuditFilter(Action: "Test.Query"), 0, 50, Ct);
        var firstPage = await search.SearchAsync(new AuditFilter(Action: "test.query"), 0, 1, Ct);

        Assert.Equal("thing:100%-sure", Assert.Single(literal.Rows).Subject);
        Assert.Equal(2, both.Total);
        Assert.Equal(["thing:100-more", "thing:100%-sure"], both.Rows.Select(r => r.Subject));
        Assert.Equal((1, 2), (firstPage.Rows.Count, firstPage.Total));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DocumentList_SearchFindsNumberAntragsnummerAndPartOfTheEncryptedName()
    {
        await RegisterAsync("QRY-SRCH-7", "CXW000007", "DLZ-1", "Henriette Quastenberg");
        await RegisterAsync("QRY-SRCH-8", "CXW000008", "HOL-1", "Bruno Quastenberg");
        await RegisterAsync("QRY-OTHER-9", "CXW000009", "DLZ-1", "Paula Pfeifer");
        var all = new GridRequest<DocumentColumn>(0, 50, DocumentColumn.DocumentNumber);

        var byName = await Documents.ListAsync(all, "quastenb", Ct);
        var byReference = await Documents.ListAsync(all, "qry-srch-8", Ct);
        var byNumber = await Documents.ListAsync(all, "cxw00000 9", Ct);
        var byNameInHolthausen = await Documents.ListAsync(all with { Filters =
            [new ColumnFilter<DocumentColumn>(DocumentColumn.BoxCode, FilterMatch.EqualTo, "HOL-1")] }, "Quastenberg", Ct);

        Assert.Equal(["CXW000007", "CXW000008"], byName.Rows.Select(r => r.DocumentNumber));
        Assert.Equal(2, byName.Total);
        Assert.Equal(["CXW000008"], byReference.Rows.Select(r => r.DocumentNumber));
        Assert.Equal(["CXW000009"], byNumber.Rows.Select(r => r.DocumentNumber));
        Assert.Equal(["CXW000008"], byNameInHolthausen.Rows.Select(r => r.DocumentNumber));
    }

    private async Task<Guid> RegisterAsync(string reference, string number, string box, string holder = "Max Mustermann")
    {
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Passport",
            DocumentNumber = number,
            HolderName = holder,
            DateOfBirth = "01.04.1979",
            MobileNumber = "0170 1234567",
            ApplicationReference = reference,
            BoxCode = box,
        }, "staff:query-test@demo.local", Ct);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.DocumentId!.Value;
    }
}
