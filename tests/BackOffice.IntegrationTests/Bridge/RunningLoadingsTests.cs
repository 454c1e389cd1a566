using BackOffice.Application.Bridge;
using BackOffice.Application.Documents;
using BackOffice.Bridge.Contracts;
using BackOffice.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BackOffice.IntegrationTests;

/// <summary>
/// Offene Vorgänge lists every running loading at once (not only stuck ones), with a document number the loading page
/// finds it by: the clerk who reloaded or left the page gets back to it.
/// </summary>
public class RunningLoadingsTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    private const string Clerk = "staff:sachbearbeitung@demo.local";

    private DocumentLoading Loading => app.Services.GetRequiredService<DocumentLoading>();

    private OpenOperations Operations => app.Services.GetRequiredService<OpenOperations>();

    [Fact]
    public async Task StartedLoading_IsListedAtOnceWithItsDocumentNumber_UntilItEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        var raw = await app.ConnectRawAsync(await app.IssueKeyAsync("HOL-1"));
        await raw.InvokeAsync<HelloResponse>(BridgeProtocol.ServerMethods.Hello, new HelloRequest("test", []), ct);
        var unlock = new TaskCompletionSource<UnlockCommand>();
        using var subscription = raw.On<UnlockCommand>(BridgeProtocol.ClientMethods.Unlock, command => unlock.TrySetResult(command));
        var registered = await app.Services.GetRequiredService<DocumentRegistration>().RegisterAsync(new DocumentDraft
        {
            Type = "Reisepass", DocumentNumber = "R7NN1NG01", HolderName = "Rita Lauf", DateOfBirth = "01.02.1990",
            MobileNumber = "+491725551001", ApplicationReference = "RUN-R7NN1NG01", BoxCode = "HOL-1",
        }, Clerk);
        var documentId = registered.DocumentId!.Value;
        var proposal = await Loading.ProposeAsync([documentId]);
        var start = await Loading.StartAsync([documentId], proposal!.CompartmentId, Clerk);
        Assert.True(start.Started, start.Refusal?.ToString());
        await unlock.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);

        var running = Assert.Single(await Operations.RunningLoadingsAsync(ct));
        Assert.Equal(("HOL-1", proposal.Label, "R7NN1NG01", Clerk, 1),
            (running.BoxCode, running.CompartmentLabel, running.DocumentNumber, running.StartedBy, running.Documents));
        // Not yet stuck: the list of operations to settle by hand does not have it.
        Assert.DoesNotContain(await Operations.ListAsync(ct), o => o.Id == running.LoadId);

        Assert.True(await Operations.ResolveAsync(OpenOperationKind.Loading, running.LoadId, completed: false, Clerk, cancellationToken: ct));

        Assert.Empty(await Operations.RunningLoadingsAsync(ct));
    }
}
