using BackOffice.Application.Audit;
using BackOffice.Application.Documents;
using BackOffice.IntegrationTests.Infrastructure;

namespace BackOffice.IntegrationTests.Audit;

/// <summary>
/// The Protokoll's search as a supervisor uses it (issue 13: the object search needed a GUID): by a document's number,
/// a box, a staff member's name as actor or as subject; and each line names people, not accounts.
/// </summary>
public class AuditSearchTests(BackOfficeAppFactory app) : IClassFixture<BackOfficeAppFactory>
{
    private const string Action = "test.auditsearch";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AuditSearch Search => app.Services.GetRequiredService<AuditSearch>();

    [Fact]
    public async Task ByDocumentNumber_FindsTheDocumentsLines_AndNamesItsNumber()
    {
        var id = await RegisterAsync("AUD-1", "CKK000071");
        var trail = app.Services.GetRequiredService<AuditTrail>();
        await trail.WriteAsync("staff:sachbearbeitung@demo.local", Action, AuditTrail.Document(id), "ok", cancellationToken: Ct);
        await trail.WriteAsync("staff:sachbearbeitung@demo.local", Action, AuditTrail.Document(Guid.NewGuid()), "ok", cancellationToken: Ct);

        var found = await Search.SearchAsync(new AuditFilter(Action: Action, Subject: " ckk000071 "), 0, 50, Ct);

        var line = Assert.Single(found.Rows);
        Assert.Equal(AuditTrail.Document(id), line.Subject);
        Assert.Equal("CKK000071", line.SubjectName);
        Assert.Equal("Jana Neumann", line.ActorName);
    }

    [Fact]
    public async Task ByStaffName_FindsWhatThePersonDid_AndWhatWasDoneToTheirAccount()
    {
        var trail = app.Services.GetRequiredService<AuditTrail>();
        await trail.WriteAsync("staff:teamleitung@demo.local", Action, "box:HOL-1", "ok", cancellationToken: Ct);
        await trail.WriteAsync("staff:admin@demo.local", Action, "user:teamleitung@demo.local", "ok", cancellationToken: Ct);
        await trail.WriteAsync("box:DLZ-1", Action, "compartment:DLZ-1/01-01", "open", cancellationToken: Ct);

        var byActor = await Search.SearchAsync(new AuditFilter(Action: Action, Actor: "thomas berger"), 0, 50, Ct);
        var bySubject = await Search.SearchAsync(new AuditFilter(Action: Action, Subject: "Berger"), 0, 50, Ct);
        var byBox = await Search.SearchAsync(new AuditFilter(Action: Action, Subject: "dlz-1"), 0, 50, Ct);

        var acted = Assert.Single(byActor.Rows);
        Assert.Equal(("Thomas Berger", "box:HOL-1"), (acted.ActorName, acted.Subject));
        var account = Assert.Single(bySubject.Rows);
        Assert.Equal(("user:teamleitung@demo.local", "Thomas Berger"), (account.Subject, account.SubjectName));
        var compartment = Assert.Single(byBox.Rows);
        Assert.Equal(("Box DLZ-1", "compartment:DLZ-1/01-01"), (compartment.ActorName, compartment.Subject));
    }

    private async Task<Guid> RegisterAsync(string reference, string number)
    {
        var result = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Passport",
            DocumentNumber = number,
            HolderName = "Max Mustermann",
            DateOfBirth = "01.04.1979",
            MobileNumber = "0170 1234567",
            ApplicationReference = reference,
            BoxCode = "DLZ-1",
        }, "staff:sachbearbeitung@demo.local", Ct);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.DocumentId!.Value;
    }
}
