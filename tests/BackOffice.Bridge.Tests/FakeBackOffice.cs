using System.Collections.Concurrent;
using BackOffice.Bridge.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge.Tests;

/// <summary>A stand-in for the back office's box hub on a loopback port: records what the bridge sends.</summary>
internal sealed class FakeBackOffice : IAsyncDisposable
{
    public const string Key = "test-box-key";

    private WebApplication? _app;

    public ConcurrentQueue<HelloRequest> Hellos { get; } = new();

    public ConcurrentQueue<CommandResultReport> Results { get; } = new();

    public ConcurrentQueue<DoorReport> Doors { get; } = new();

    public ConcurrentQueue<HeartbeatReport> Heartbeats { get; } = new();

    public ConcurrentQueue<OldDocumentReport> OldDocuments { get; } = new();

    public ConcurrentQueue<PickupRequest> PickupRequests { get; } = new();

    /// <summary>Every result, door report, old-document report and pickup request, in the order it arrived.</summary>
    public ConcurrentQueue<object> Arrivals { get; } = new();

    /// <summary>The canned answer to RequestPickup; when granted, Unlock(Pickup) follows for each compartment.</summary>
    public PickupResponse PickupAnswer { get; set; } = new(false, [], "Abholung nicht möglich.");

    /// <summary>When set, RequestPickup fails with a HubException (a request the server refuses to handle).</summary>
    public bool RefusePickups { get; set; }

    /// <summary>The HubException text RequestPickup fails with when <see cref="RefusePickups"/> is set; a <c>Refused:</c> one when null.</summary>
    public string? PickupFailure { get; set; }

    /// <summary>This many of the next ReportDoor calls fail with <see cref="DoorFailure"/> (like a database outage at the server).</summary>
    public int FailingDoorCalls;

    /// <summary>The error a failing ReportDoor call throws; <c>HubException("Unavailable: database")</c> when null.</summary>
    public Func<Exception>? DoorFailure { get; set; }

    /// <summary>Every ReportDoor call that was not refused, failed or not.</summary>
    public int DoorCalls;

    public ConcurrentQueue<string?> AuthorizationHeaders { get; } = new();

    /// <summary>This fake's open connections (per instance: test classes run in parallel, each with its own fake).</summary>
    public ConcurrentDictionary<string, HubCallerContext> Connections { get; } = new();

    public List<UnlockCommand> PendingCommands { get; } = [];

    /// <summary>Door reports for this compartment are refused with a HubException.</summary>
    public string? RefusedCompartment { get; set; }

    /// <summary>When set, ReportCommandResult never answers (the bridge dies before the server acknowledges).</summary>
    public bool SwallowResults { get; set; }

    public int UnauthorizedCount;

    public string Url { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(this);
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Use(async (context, next) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            AuthorizationHeaders.Enqueue(header);
            if (header != $"Bearer {Key}")
            {
                Interlocked.Increment(ref UnauthorizedCount);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        _app.MapHub<FakeBoxHub>("/hubs/box");
        await _app.StartAsync();
        Url = _app.Urls.First();
    }

    public Task SendUnlockAsync(UnlockCommand command) =>
        _app!.Services.GetRequiredService<IHubContext<FakeBoxHub>>().Clients.All.SendAsync(BridgeProtocol.ClientMethods.Unlock, command);

    /// <summary>Drops every connection, as a server restart or network cut would.</summary>
    public void DropConnections()
    {
        foreach (var connection in Connections.Values)
        {
            connection.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

internal sealed class FakeBoxHub(FakeBackOffice backOffice) : Hub
{
    public override Task OnConnectedAsync()
    {
        backOffice.Connections[Context.ConnectionId] = Context;
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        backOffice.Connections.TryRemove(Context.ConnectionId, out _);
        return base.OnDisconnectedAsync(exception);
    }

    public HelloResponse Hello(HelloRequest hello)
    {
        backOffice.Hellos.Enqueue(hello);
        return new HelloResponse(DateTimeOffset.UtcNow, [.. backOffice.PendingCommands]);
    }

    public async Task ReportCommandResult(CommandResultReport report)
    {
        if (backOffice.SwallowResults)
        {
            await Task.Delay(Timeout.Infinite, Context.ConnectionAborted);
        }
        backOffice.Results.Enqueue(report);
        backOffice.Arrivals.Enqueue(report);
    }

    public void ReportDoor(DoorReport report)
    {
        if (report.Compartment == backOffice.RefusedCompartment)
        {
            // As the back office answers a definitive refusal (docs/bridge-protocol-v1.md).
            throw new HubException($"Refused: Unknown compartment '{report.Compartment}'.");
        }
        Interlocked.Increment(ref backOffice.DoorCalls);
        if (Interlocked.Decrement(ref backOffice.FailingDoorCalls) >= 0)
        {
            throw backOffice.DoorFailure?.Invoke() ?? new HubException("Unavailable: database");
        }
        backOffice.Doors.Enqueue(report);
        backOffice.Arrivals.Enqueue(report);
    }

    public void ReportOldDocument(OldDocumentReport report)
    {
        backOffice.OldDocuments.Enqueue(report);
        backOffice.Arrivals.Enqueue(report);
    }

    public async Task<PickupResponse> RequestPickup(PickupRequest request)
    {
        backOffice.PickupRequests.Enqueue(request);
        backOffice.Arrivals.Enqueue(request);
        if (backOffice.RefusePickups)
        {
            throw new HubException(backOffice.PickupFailure ?? "Refused: A field is too long.");
        }
        var answer = backOffice.PickupAnswer;
        if (answer.Granted)
        {
            foreach (var compartment in answer.Compartments)
            {
                var command = new UnlockCommand(Guid.NewGuid(), compartment, BridgeProtocol.Purposes.Pickup, DateTimeOffset.UtcNow.AddSeconds(30));
                await Clients.Caller.SendAsync(BridgeProtocol.ClientMethods.Unlock, command);
            }
        }
        return answer;
    }

    public void ReportHeartbeat(HeartbeatReport report) => backOffice.Heartbeats.Enqueue(report);
}
