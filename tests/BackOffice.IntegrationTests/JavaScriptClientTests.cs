using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using BackOffice.Domain.Boxes;
using BackOffice.IntegrationTests.Infrastructure;
using static BackOffice.IntegrationTests.Infrastructure.BridgeAppFactory;

namespace BackOffice.IntegrationTests;

/// <summary>
/// Bridge protocol v1 from Microsoft's JavaScript SignalR client (tests/js-bridge-client, installed by infra/test.sh):
/// the key as access_token query parameter, WebSockets without negotiation, camelCase JSON.
/// </summary>
public class JavaScriptClientTests(BridgeAppFactory app) : IClassFixture<BridgeAppFactory>
{
    private static readonly string ClientFolder = Path.Combine(
        typeof(JavaScriptClientTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!,
        "tests", "js-bridge-client");

    [Fact]
    public async Task JavaScriptBridge_ReceivesAnUnlockAndReportsTheResult()
    {
        Assert.True(Directory.Exists(Path.Combine(ClientFolder, "node_modules", "@microsoft", "signalr")),
            $"Run 'npm ci' in {ClientFolder} (infra/test.sh does).");
        var key = await app.IssueKeyAsync("HOL-1");
        app.StartServer();
        using var node = Process.Start(new ProcessStartInfo("node")
        {
            ArgumentList = { "client.mjs", app.ServerUrl, key },
            WorkingDirectory = ClientFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var ready = await ReadEventAsync(node, "ready");
            Assert.Equal(0, ready.GetProperty("pending").GetInt32());

            var compartment = await app.CompartmentAsync("HOL-1", "02-02");
            var issue = await app.Commands.IssueUnlockAsync(compartment.Id, CommandPurpose.Service, "staff:test", reason: ServiceReason);

            var unlock = await ReadEventAsync(node, "unlock");
            Assert.Equal(issue.CommandId.ToString(), unlock.GetProperty("command").GetProperty("commandId").GetString());
            Assert.Equal("02-02", unlock.GetProperty("command").GetProperty("compartment").GetString());
            Assert.Equal("Service", unlock.GetProperty("command").GetProperty("purpose").GetString());
            await WaitUntilAsync(async () => (await app.CommandAsync(issue.CommandId!.Value)).Status == CommandStatus.Opened, "the JavaScript bridge's result is recorded");
            await using var db = await app.NewDbContextAsync();
            var box = await db.Boxes.SingleAsync(b => b.Code == "HOL-1");
            Assert.Equal("js-client-1", box.BridgeSoftwareVersion);
            Assert.Equal(12, box.ReturnBinFillPercent);
            Assert.Equal(DoorState.Open, (await app.CompartmentAsync("HOL-1", "02-02")).DoorState);
        }
        finally
        {
            node.Kill(entireProcessTree: true);
        }
    }

    private static async Task<JsonElement> ReadEventAsync(Process node, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await node.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var message = JsonDocument.Parse(line).RootElement;
            var name = message.GetProperty("event").GetString();
            if (name == expected)
            {
                return message;
            }
            Assert.NotEqual("error", name);
        }
        throw new InvalidOperationException($"The JavaScript client ended before '{expected}': {await node.StandardError.ReadToEndAsync()}");
    }
}
