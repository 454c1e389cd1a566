using BackOffice.Testing;
using BackOffice.Bridge.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Bridge.Tests;

/// <summary>The whole bridge against a fake hub over a real WebSocket on loopback.</summary>
public sealed class BridgeClientTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly FakeBackOffice _backOffice = new();
    private readonly List<BridgeClient> _clients = [];

    public async ValueTask InitializeAsync() => await _backOffice.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        await _backOffice.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task StartAsync_WithPendingCommand_SaysHelloWithKeyAndDoorsThenReportsTheResultAndTheDoor()
    {
        var command = new UnlockCommand(Guid.NewGuid(), "01-01", BridgeProtocol.Purposes.Pickup, DateTimeOffset.UtcNow.AddMinutes(2));
        _backOffice.PendingCommands.Add(command);
        var driver = Simulator();
        var client = Client(driver);

        await client.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(client.IsConnected);
        var hello = Assert.Single(_backOffice.Hellos);
        Assert.Equal("test-1.0", hello.SoftwareVersion);
        Assert.Equal([new DoorStatus("01-01", BridgeProtocol.DoorStates.Closed)], hello.Doors);
        Assert.All(_backOffice.AuthorizationHeaders, h => Assert.Equal($"Bearer {FakeBackOffice.Key}", h));
        await Eventually.WaitUntilAsync(() => !_backOffice.Results.IsEmpty && !_backOffice.Doors.IsEmpty, "result and door report");
        Assert.Equal(new CommandResultReport(command.CommandId, BridgeProtocol.Outcomes.Opened, null), Assert.Single(_backOffice.Results));
        var door = Assert.Single(_backOffice.Doors);
        Assert.Equal(("01-01", BridgeProtocol.DoorStates.Open), (door.Compartment, door.State));
        Assert.Equal(1, driver.OpenCount("01-01"));
    }

    [Fact]
    public async Task Unlock_Live_RaisesEventsAndReportsOpenedAndHeartbeatArrives()
    {
        var driver = Simulator();
        driver.ReturnBinFillPercent = 40;
        driver.Jam("01-02");
        var client = Client(driver);
        var received = new TaskCompletionSource<UnlockCommand>();
        var completed = new TaskCompletionSource<CommandResultReport>();
        client.CommandReceived += c => received.TrySetResult(c);
        client.CommandCompleted += r => completed.TrySetResult(r);
        await client.StartAsync(TestContext.Current.CancellationToken);
        var command = new UnlockCommand(Guid.NewGuid(), "01-01", BridgeProtocol.Purposes.Load, DateTimeOffset.UtcNow.AddMinutes(2));

        await _backOffice.SendUnlockAsync(command);
        await client.SendHeartbeatAsync(TestContext.Current.CancellationToken);

        Assert.Equal(command, await received.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(BridgeProtocol.Outcomes.Opened, (await completed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).Outcome);
        await Eventually.WaitUntilAsync(() => !_backOffice.Results.IsEmpty, "result");
        var heartbeat = Assert.Single(_backOffice.Heartbeats);
        Assert.Equal(40, heartbeat.ReturnBinFillPercent);
        Assert.Equal(["Fach 01-02: Tür klemmt"], heartbeat.Faults);
    }

    [Fact]
    public async Task Reports_WhileDisconnected_AreSentInOrderAfterTheReconnect()
    {
        var driver = Simulator();
        // Slow enough to see the gap; the events below happen while no connection exists.
        var client = Client(driver, reconnectDelays: [TimeSpan.FromSeconds(1)]);
        await client.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.RefusedCompartment = "99-99";

        _backOffice.DropConnections();
        await Eventually.WaitUntilAsync(() => !client.IsConnected, "disconnect noticed");
        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Open);
        driver.RaiseDoor("99-99", BridgeProtocol.DoorStates.Open); // refused by the server: must not block the queue
        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Closed);
        Assert.Empty(_backOffice.Doors);

        await Eventually.WaitUntilAsync(() => _backOffice.Doors.Count == 2, "queued door reports after reconnect");
        Assert.Equal([BridgeProtocol.DoorStates.Open, BridgeProtocol.DoorStates.Closed], _backOffice.Doors.Select(d => d.State));
        Assert.Equal(2, _backOffice.Hellos.Count);
        await Eventually.WaitUntilAsync(() => client.IsConnected, "connected again");
    }

    [Fact]
    public async Task Restart_AfterOpeningBeforeTheServerAcknowledged_DoesNotOpenAgainAndReportsTheResult()
    {
        var driver = Simulator();
        var first = Client(driver);
        await first.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.SwallowResults = true;
        var command = new UnlockCommand(Guid.NewGuid(), "01-01", BridgeProtocol.Purposes.Pickup, DateTimeOffset.UtcNow.AddMinutes(2));
        var completed = new TaskCompletionSource();
        first.CommandCompleted += _ => completed.TrySetResult();
        await _backOffice.SendUnlockAsync(command);
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await first.DisposeAsync(); // killed: the result is journaled but not acknowledged
        _backOffice.SwallowResults = false;
        _backOffice.PendingCommands.Add(command); // the server still waits for it and sends it again
        var second = Client(driver);
        await second.StartAsync(TestContext.Current.CancellationToken);

        await Eventually.WaitUntilAsync(() => !_backOffice.Results.IsEmpty, "result after restart");
        Assert.Equal(1, driver.OpenCount("01-01"));
        Assert.Equal(BridgeProtocol.Outcomes.Opened, _backOffice.Results.First().Outcome);
    }

    [Fact]
    public async Task RequestPickupAsync_Connected_ReturnsTheServersAnswerAndTheGrantedCompartmentOpens()
    {
        var driver = Simulator();
        var client = Client(driver);
        await client.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.PickupAnswer = new PickupResponse(true, ["01-01"], "Bitte entnehmen Sie Ihre Dokumente aus Fach 01-01.");
        var request = new PickupRequest(Guid.NewGuid(), "+491701234567", "482913", null, "1985-03-07");

        var response = await client.RequestPickupAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.Granted);
        Assert.Equal(["01-01"], response.Compartments);
        Assert.Equal("Bitte entnehmen Sie Ihre Dokumente aus Fach 01-01.", response.Message);
        Assert.Equal(request, Assert.Single(_backOffice.PickupRequests));
        await Eventually.WaitUntilAsync(() => driver.OpenCount("01-01") == 1, "the granted compartment opened");
    }

    [Fact]
    public async Task RequestPickupAsync_NotConnected_ReturnsTheNotConnectedRefusalWithoutSending()
    {
        var client = Client(Simulator(), reconnectDelays: [TimeSpan.FromSeconds(30)]);
        var request = new PickupRequest(Guid.NewGuid(), "+491701234567", "482913", null, "1985-03-07");

        var beforeStart = await client.RequestPickupAsync(request, TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.DropConnections();
        await Eventually.WaitUntilAsync(() => !client.IsConnected, "disconnect noticed");
        var afterDrop = await client.RequestPickupAsync(request, TestContext.Current.CancellationToken);

        foreach (var response in new[] { beforeStart, afterDrop })
        {
            Assert.False(response.Granted);
            Assert.Empty(response.Compartments);
            Assert.Equal("Die Ausgabebox ist gerade nicht verbunden. Bitte versuchen Sie es in einem Moment erneut.", response.Message);
        }
        Assert.Empty(_backOffice.PickupRequests);
    }

    [Fact]
    public async Task RequestPickupAsync_ServerRefusesTheCall_ReturnsTheRequestFailedRefusalAndStaysConnected()
    {
        var client = Client(Simulator());
        await client.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.RefusePickups = true;

        var response = await client.RequestPickupAsync(
            new PickupRequest(Guid.NewGuid(), "+491701234567", "482913", new string('X', 30), null), TestContext.Current.CancellationToken);

        Assert.False(response.Granted);
        Assert.Empty(response.Compartments);
        Assert.Equal(BridgeClient.RequestFailedMessage, response.Message);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ReportOldDocument_WhileDisconnected_IsSentInOrderWithDoorEventsAfterTheReconnect()
    {
        var driver = Simulator();
        var client = Client(driver, reconnectDelays: [TimeSpan.FromSeconds(1)]);
        await client.StartAsync(TestContext.Current.CancellationToken);

        _backOffice.DropConnections();
        await Eventually.WaitUntilAsync(() => !client.IsConnected, "disconnect noticed");
        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Open);
        var read = client.ReportOldDocument(" L01X00T47 ");
        var unread = client.ReportOldDocument(null);
        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Closed);
        Assert.Empty(_backOffice.OldDocuments);

        await Eventually.WaitUntilAsync(() => _backOffice.Arrivals.Count == 4, "queued reports after reconnect");
        var arrivals = _backOffice.Arrivals.ToList();
        Assert.Equal(BridgeProtocol.DoorStates.Open, Assert.IsType<DoorReport>(arrivals[0]).State);
        Assert.Equal(read, arrivals[1]);
        Assert.Equal("L01X00T47", read.DocumentNumber);
        Assert.Equal(unread, arrivals[2]);
        Assert.Null(unread.DocumentNumber);
        Assert.Equal(BridgeProtocol.DoorStates.Closed, Assert.IsType<DoorReport>(arrivals[3]).State);
    }

    [Fact]
    public async Task ReportOldDocument_KilledBeforeSending_IsSentAfterTheRestart()
    {
        var first = Client(Simulator(), reconnectDelays: [TimeSpan.FromSeconds(30)]);
        await first.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.DropConnections();
        await Eventually.WaitUntilAsync(() => !first.IsConnected, "disconnect noticed");
        var report = first.ReportOldDocument("L01X00T47");
        await first.DisposeAsync();

        var second = Client(Simulator());
        await second.StartAsync(TestContext.Current.CancellationToken);

        await Eventually.WaitUntilAsync(() => !_backOffice.OldDocuments.IsEmpty, "old document after restart");
        Assert.Equal(report, Assert.Single(_backOffice.OldDocuments));
    }

    [Fact]
    public async Task ReportDoor_BackOfficeUnavailableForAWhile_IsRetriedWithBackoffAndDeliveredInOrderWhenItRecovers()
    {
        var driver = Simulator();
        var client = Client(driver, retryDelays: [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)]);
        await client.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.FailingDoorCalls = 10; // "Unavailable: database", as during a short database outage
        var started = DateTimeOffset.UtcNow;

        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Open);
        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Closed);
        var oldDocument = client.ReportOldDocument("L01X00T47");

        await Eventually.WaitUntilAsync(() => _backOffice.Arrivals.Count == 3, "all three reports after the outage");
        var elapsed = DateTimeOffset.UtcNow - started;
        var arrivals = _backOffice.Arrivals.ToList();
        Assert.Equal(BridgeProtocol.DoorStates.Open, Assert.IsType<DoorReport>(arrivals[0]).State);
        Assert.Equal(BridgeProtocol.DoorStates.Closed, Assert.IsType<DoorReport>(arrivals[1]).State);
        Assert.Equal(oldDocument, arrivals[2]);
        Assert.Equal(12, Volatile.Read(ref _backOffice.DoorCalls)); // 10 refused attempts of the first event, then both
        // 100 ms + 9 × 200 ms between the attempts: retried with backoff, not in a burst.
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.5), $"delivered after {elapsed}");
        await client.DisposeAsync();
        Assert.DoesNotContain("\"rejected\"", await File.ReadAllTextAsync(_directory.File("queue.jsonl"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportDoor_BackOfficeUnavailableAndTheBridgeRestarts_IsDeliveredByTheNextStart()
    {
        var driver = Simulator();
        var first = Client(driver);
        await first.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.FailingDoorCalls = int.MaxValue;
        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Closed);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref _backOffice.DoorCalls) >= 4, "several failed attempts");

        await first.DisposeAsync(); // killed during the outage
        _backOffice.FailingDoorCalls = 3; // still down for a moment after the restart
        var second = Client(driver);
        await second.StartAsync(TestContext.Current.CancellationToken);

        await Eventually.WaitUntilAsync(() => !_backOffice.Doors.IsEmpty, "door event after the restart");
        var door = Assert.Single(_backOffice.Doors);
        Assert.Equal(("01-01", BridgeProtocol.DoorStates.Closed), (door.Compartment, door.State));
    }

    [Fact]
    public async Task ReportDoor_GenericServerError_IsRetriedUntilAccepted()
    {
        var driver = Simulator();
        var client = Client(driver);
        await client.StartAsync(TestContext.Current.CancellationToken);
        // Not a HubException at the server: the client only sees SignalR's "An unexpected error occurred invoking …".
        _backOffice.DoorFailure = () => new InvalidOperationException("connection pool exhausted");
        _backOffice.FailingDoorCalls = 5;

        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Open);

        await Eventually.WaitUntilAsync(() => !_backOffice.Doors.IsEmpty, "door event after the errors");
        Assert.Equal(BridgeProtocol.DoorStates.Open, Assert.Single(_backOffice.Doors).State);
        Assert.Equal(6, Volatile.Read(ref _backOffice.DoorCalls));
    }

    [Fact]
    public async Task ReportDoor_RefusedByTheBackOffice_DropsExactlyThatEntryWithTheReasonAndTheQueueGoesOn()
    {
        var driver = Simulator();
        var client = Client(driver);
        await client.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.RefusedCompartment = "99-99";

        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Open);
        driver.RaiseDoor("99-99", BridgeProtocol.DoorStates.Open);
        driver.RaiseDoor("01-01", BridgeProtocol.DoorStates.Closed);

        await Eventually.WaitUntilAsync(() => _backOffice.Doors.Count == 2, "the two accepted door events");
        Assert.Equal([BridgeProtocol.DoorStates.Open, BridgeProtocol.DoorStates.Closed], _backOffice.Doors.Select(d => d.State));
        await client.DisposeAsync();
        var lines = await File.ReadAllLinesAsync(_directory.File("queue.jsonl"), TestContext.Current.CancellationToken);
        var rejected = Assert.Single(lines, l => l.Contains("\"rejected\"", StringComparison.Ordinal));
        Assert.Equal("Unknown compartment '99-99'.", System.Text.Json.JsonDocument.Parse(rejected).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RequestPickupAsync_BackOfficeUnavailable_ReturnsTheCannotCheckNowRefusalNotTheCheckYourInputOne()
    {
        var client = Client(Simulator());
        await client.StartAsync(TestContext.Current.CancellationToken);
        _backOffice.RefusePickups = true;
        _backOffice.PickupFailure = "Unavailable: database";

        var response = await client.RequestPickupAsync(
            new PickupRequest(Guid.NewGuid(), "+491701234567", "482913", null, "1985-03-07"), TestContext.Current.CancellationToken);

        Assert.False(response.Granted);
        Assert.Empty(response.Compartments);
        Assert.Equal("Die Ausgabebox kann Ihre Anfrage gerade nicht prüfen. Bitte versuchen Sie es in einem Moment erneut.", response.Message);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task StartAsync_WrongKey_KeepsRetryingWithoutConnecting()
    {
        var client = Client(Simulator(), key: "rotated-away");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var start = client.StartAsync(cancel.Token);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref _backOffice.UnauthorizedCount) >= 3, "three refused attempts");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
        Assert.False(client.IsConnected);
        Assert.Empty(_backOffice.Hellos);
    }

    private TestSimulator Simulator() =>
        new(new SimulatedLockOptions { OpenDelay = TimeSpan.FromMilliseconds(10), AutoCloseAfter = null, Compartments = ["01-01"] });

    private BridgeClient Client(ILockDriver driver, string key = FakeBackOffice.Key, TimeSpan[]? reconnectDelays = null, TimeSpan[]? retryDelays = null)
    {
        var options = new BridgeOptions
        {
            ServerUrl = _backOffice.Url,
            BoxKey = key,
            QueuePath = _directory.File("queue.jsonl"),
            SoftwareVersion = "test-1.0",
            ReconnectDelays = reconnectDelays ?? [TimeSpan.Zero, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)],
            HeartbeatInterval = TimeSpan.FromMinutes(10),
            RetryDelays = retryDelays ?? [TimeSpan.FromMilliseconds(50)],
        };
        var client = new BridgeClient(options, driver, TimeProvider.System, NullLogger<BridgeClient>.Instance);
        _clients.Add(client);
        return client;
    }

    /// <summary>The simulator, plus door events a test can raise directly.</summary>
    private sealed class TestSimulator(SimulatedLockOptions options) : ILockDriver
    {
        private readonly SimulatedLockDriver _inner = new(TimeProvider.System, options);

        public event Action<string, string, DateTimeOffset>? DoorChanged
        {
            add
            {
                _inner.DoorChanged += value;
                _extra += value;
            }
            remove
            {
                _inner.DoorChanged -= value;
                _extra -= value;
            }
        }

        private event Action<string, string, DateTimeOffset>? _extra;

        public int ReturnBinFillPercent
        {
            get => _inner.ReturnBinFillPercent;
            set => _inner.ReturnBinFillPercent = value;
        }

        public IReadOnlyList<string> Faults => _inner.Faults;

        public IReadOnlyList<DoorStatus> GetDoors() => _inner.GetDoors();

        public Task<LockOpenResult> OpenAsync(string compartment, CancellationToken cancellationToken) => _inner.OpenAsync(compartment, cancellationToken);

        public int OpenCount(string compartment) => _inner.OpenCount(compartment);

        public void Jam(string compartment) => _inner.Jam(compartment);

        public void RaiseDoor(string compartment, string state) => _extra?.Invoke(compartment, state, DateTimeOffset.UtcNow);
    }
}
