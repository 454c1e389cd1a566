using BackOffice.Application.Boxes;
using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Application.Pickup;
using BackOffice.Bridge.Contracts;
using BackOffice.Domain.Staff;
using BackOffice.Web.Components.Pages.Documents;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.ComponentTests.Documents;

/// <summary>
/// The loading page over the real loading service: the scan and each message it can give, the proposal, the door
/// followed live as the box reports it, a failed opening, cancelling, and a running loading found again from the address.
/// </summary>
public class DocumentLoadTests : ComponentTest, IClassFixture<AppServices>
{
    private static int _sequence;
    private readonly AppServices _app;

    public DocumentLoadTests(AppServices app)
    {
        _app = app;
        SignIn("Jana Neumann", StaffRoles.Clerk);
        foreach (var type in new[] { typeof(DocumentLoading), typeof(LoadUpdates), typeof(BoxAdministration), typeof(DocumentActions) })
        {
            Services.AddSingleton(type, app.Services.GetRequiredService(type));
        }
    }

    [Fact]
    public async Task UnknownNumber_SaysNoDocumentIsRegistered()
    {
        var page = Render<DocumentLoad>();

        await ScanAsync(page, "CFFFFFFF9");

        Assert.Equal("Zu dieser Nummer ist kein Dokument erfasst.", page.Find("[data-testid=load-message]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=load-documents]"));
    }

    [Fact]
    public async Task ArrivedDocument_IsListed_WithAProposedCompartment_AndTheScanFieldIsReadyForTheNext()
    {
        var number = await RegisterAsync("Lotte Scan", "0170 5551001");
        var page = Render<DocumentLoad>();

        await ScanAsync(page, number.ToLowerInvariant());

        page.WaitForAssertion(() => Assert.Contains("Lotte Scan", page.Find("[data-testid=load-documents]").TextContent, StringComparison.Ordinal));
        Assert.StartsWith("Vorgeschlagenes Fach: ", page.Find("[data-testid=load-proposal]").TextContent, StringComparison.Ordinal);
        Assert.Contains("öffnen", page.Find("[data-testid=load-start]").TextContent, StringComparison.Ordinal);
        Assert.Equal("", page.Find("[data-testid=load-scan]").GetAttribute("value") ?? "");
        Assert.Empty(page.FindAll("[data-testid=load-message]"));
    }

    [Fact]
    public async Task DocumentForAnotherBox_IsRefused()
    {
        var first = await RegisterAsync("Otto Box", "0170 5551002");
        var other = await RegisterAsync("Olga Box", "0170 5551002", box: "HOL-1");
        var page = Render<DocumentLoad>();

        await ScanAsync(page, first);
        await ScanAsync(page, other);

        Assert.Equal($"Dokument {other} ist für eine andere Ausgabebox bestimmt.", page.Find("[data-testid=load-message]").TextContent);
        Assert.DoesNotContain("Olga Box", page.Find("[data-testid=load-documents]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentOfAnotherHousehold_IsRefused_WithTheWayToJoinIt()
    {
        var first = await RegisterAsync("Hanna Haus", "0170 5551003");
        var other = await RegisterAsync("Heinz Anders", "0170 5551004");
        var page = Render<DocumentLoad>();

        await ScanAsync(page, first);
        await ScanAsync(page, other);

        Assert.NotEmpty(page.Find("[data-testid=load-message]").TextContent);
        Assert.Single(page.FindAll("[data-testid=load-join-household]"));
        Assert.DoesNotContain("Heinz Anders", page.Find("[data-testid=load-documents]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentAlreadyBeingLoaded_CannotBeScannedAgain()
    {
        await _app.BoxOnlineAsync();
        var number = await RegisterAsync("Ludwig Laufend", "0170 5551005");
        await StartLoadingAsync(number);
        var page = Render<DocumentLoad>();

        await ScanAsync(page, number);

        Assert.Equal($"Dokument {number} kann nicht eingelegt werden (Status: wird eingelegt).", page.Find("[data-testid=load-message]").TextContent);
    }

    [Fact]
    public async Task BoxThatNeverReported_RefusesTheOpening_AndTheDocumentsStay()
    {
        var number = await RegisterAsync("Nina Nie", "0170 5551006", box: "HOL-1");
        var page = Render<DocumentLoad>();
        await ScanAsync(page, number);

        await page.Find("[data-testid=load-start]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Die Ausgabebox hat sich noch nie gemeldet. Die Dokumente bleiben am Schalter.",
            page.Find("[data-testid=load-message]").TextContent));
        Assert.Contains("Nina Nie", page.Find("[data-testid=load-documents]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=load-status]"));
    }

    [Fact]
    public async Task Opening_FollowsTheDoorAsTheBoxReportsIt_UntilTheDocumentsAreReady()
    {
        await _app.BoxOnlineAsync();
        var number = await RegisterAsync("Dora Tür", "0170 5551007");
        var page = Render<DocumentLoad>();
        await ScanAsync(page, number);

        await page.Find("[data-testid=load-start]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("Opening", page.Find("[data-testid=load-status]").GetAttribute("data-status")));
        var label = Label(page);
        Assert.Equal($"Fach {label} wird geöffnet …", page.Find("[data-testid=load-step]").TextContent);
        Assert.Single(page.FindAll("[data-testid=load-cancel]"));
        // In the address: a reload or "back" finds this loading again.
        Assert.Contains("vorgang=", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);

        var command = _app.Dispatcher.Sent.Last(s => s.Command.Compartment == label).Command;
        var box = await BoxAsync("DLZ-1");
        var events = _app.Services.GetRequiredService<BridgeEventService>();
        await events.ReportCommandResultAsync(box, new CommandResultReport(command.CommandId, BridgeProtocol.Outcomes.Opened, null), default);
        await events.ReportDoorAsync(box, new DoorReport(Guid.NewGuid(), label, BridgeProtocol.DoorStates.Open, DateTimeOffset.UtcNow), default);
        page.WaitForAssertion(() => Assert.Equal($"Fach {label} ist offen: Dokumente einlegen und die Tür schließen.",
            page.Find("[data-testid=load-step]").TextContent), TimeSpan.FromSeconds(10));

        await events.ReportDoorAsync(box, new DoorReport(Guid.NewGuid(), label, BridgeProtocol.DoorStates.Closed, DateTimeOffset.UtcNow), default);
        page.WaitForAssertion(() => Assert.Equal("Completed", page.Find("[data-testid=load-status]").GetAttribute("data-status")), TimeSpan.FromSeconds(10));
        Assert.Contains("zur Abholung bereit", page.Find("[data-testid=load-step]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=load-cancel]"));
        Assert.Single(page.FindAll("[data-testid=load-next]"));
        Assert.Empty(page.FindAll("[data-testid=load-documents]"));
    }

    [Fact]
    public async Task BoxReportsAFailedOpening_TheReasonIsShown()
    {
        await _app.BoxOnlineAsync();
        var number = await RegisterAsync("Fritz Fehler", "0170 5551008");
        var page = Render<DocumentLoad>();
        await ScanAsync(page, number);
        await page.Find("[data-testid=load-start]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("Opening", page.Find("[data-testid=load-status]").GetAttribute("data-status")));
        var label = Label(page);
        var command = _app.Dispatcher.Sent.Last(s => s.Command.Compartment == label).Command;

        await _app.Services.GetRequiredService<BridgeEventService>().ReportCommandResultAsync(
            await BoxAsync("DLZ-1"), new CommandResultReport(command.CommandId, BridgeProtocol.Outcomes.Failed, "Schloss klemmt"), default);

        page.WaitForAssertion(() => Assert.Equal("Aborted", page.Find("[data-testid=load-status]").GetAttribute("data-status")), TimeSpan.FromSeconds(10));
        Assert.Equal("Die Box meldet einen Fehler beim Öffnen: Schloss klemmt.", page.Find("[data-testid=load-abort-reason]").TextContent);
        Assert.Contains("Abgebrochen", page.Find("[data-testid=load-step]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningLoading_IsFoundAgainFromTheAddress_AndCanBeCancelledThere()
    {
        await _app.BoxOnlineAsync();
        var number = await RegisterAsync("Rita Reload", "0170 5551009");
        var loadId = await StartLoadingAsync(number);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"dokumente/einlegen?vorgang={loadId}");

        var page = Render<DocumentLoad>();

        Assert.Equal("Opening", page.WaitForElement("[data-testid=load-status]").GetAttribute("data-status"));
        Assert.StartsWith("Ausgabebox DLZ-1, Fach ", page.Find("[data-testid=load-status] h2").TextContent, StringComparison.Ordinal);
        await page.Find("[data-testid=load-cancel]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("Aborted", page.Find("[data-testid=load-status]").GetAttribute("data-status")));
        Assert.Contains("Dokumente bleiben am Schalter", page.Find("[data-testid=load-step]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentPagesEinlegen_WithTheNumberOfARunningLoading_ShowsThatLoading()
    {
        await _app.BoxOnlineAsync();
        var number = await RegisterAsync("Egon Einlage", "0170 5551010");
        var loadId = await StartLoadingAsync(number);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"dokumente/einlegen?nr={number}");

        var page = Render<DocumentLoad>();

        Assert.Equal("Opening", page.WaitForElement("[data-testid=load-status]").GetAttribute("data-status"));
        Assert.EndsWith($"vorgang={loadId}", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=load-message]"));
    }

    private static async Task ScanAsync(IRenderedComponent<DocumentLoad> page, string number)
    {
        page.WaitForElement("[data-testid=load-scan]");
        await page.Find("[data-testid=load-scan]").ChangeAsync(new ChangeEventArgs { Value = number });
        await page.Find("form").SubmitAsync();
    }

    private static string Label(IRenderedComponent<DocumentLoad> page) =>
        page.Find("[data-testid=load-status] h2").TextContent.Split("Fach ")[1].Trim();

    private async Task<BoxIdentity> BoxAsync(string code)
    {
        await using var db = await _app.NewDbContextAsync();
        var box = await db.Boxes.AsNoTracking().SingleAsync(b => b.Code == code);
        return new BoxIdentity(box.Id, box.Code);
    }

    private async Task<Guid> StartLoadingAsync(string number)
    {
        var loading = _app.Services.GetRequiredService<DocumentLoading>();
        var document = await loading.FindArrivedAsync(number);
        var proposal = await loading.ProposeAsync([document!.Id]);
        var start = await loading.StartAsync([document.Id], proposal!.CompartmentId, "staff:sachbearbeitung@demo.local");
        Assert.True(start.Started, start.Refusal?.ToString());
        return start.LoadId!.Value;
    }

    private async Task<string> RegisterAsync(string name, string mobile, string box = "DLZ-1")
    {
        var n = Interlocked.Increment(ref _sequence);
        var number = $"CLT{n:000000}";
        var result = await _app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Passport", DocumentNumber = number, HolderName = name, DateOfBirth = "01.04.1979", MobileNumber = mobile,
            ApplicationReference = $"BUNIT-LOAD-{n}", BoxCode = box,
        }, "staff:sachbearbeitung@demo.local");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return number;
    }
}
