using BackOffice.Bridge.Contracts;
using BackOffice.Bridge.Journal;
using BackOffice.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Bridge.Tests;

public sealed class CommandExecutorTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = TestSupport.Clock();
    private readonly FakeLockDriver _driver = new();
    private BridgeJournal _journal;
    private CommandExecutor _executor;

    public CommandExecutorTests()
    {
        _journal = new BridgeJournal(_directory.File("queue.jsonl"), _clock, NullLogger.Instance);
        _executor = new CommandExecutor(_driver, _journal, _clock, NullLogger.Instance);
    }

    public void Dispose()
    {
        _journal.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Execute_ValidCommand_OpensTheLockAndQueuesOpened()
    {
        var command = Command("03-07", expiresIn: TimeSpan.FromMinutes(2));

        var execution = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Equal(["03-07"], _driver.OpenCalls);
        Assert.Equal(new CommandExecution(new CommandResultReport(command.CommandId, BridgeProtocol.Outcomes.Opened, null), true), execution);
        Assert.Equal(execution!.Result, Assert.IsType<ResultEntry>(Assert.Single(_journal.GetUnsent())).Result);
    }

    [Fact]
    public async Task Execute_ExpiredCommand_NeverTouchesTheLockAndYieldsExpired()
    {
        var command = Command("03-07", expiresIn: TimeSpan.Zero);

        var execution = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Empty(_driver.OpenCalls);
        Assert.Equal(BridgeProtocol.Outcomes.Expired, execution!.Result.Outcome);
        Assert.Equal(BridgeProtocol.Outcomes.Expired, Assert.IsType<ResultEntry>(Assert.Single(_journal.GetUnsent())).Result.Outcome);
    }

    [Fact]
    public async Task Execute_SameCommandTwice_OpensOnceAndReproducesTheResult()
    {
        var command = Command("03-07", expiresIn: TimeSpan.FromMinutes(2));
        var first = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);
        _journal.MarkSent(_journal.GetUnsent().Single().Sequence);

        var second = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Single(_driver.OpenCalls);
        Assert.Equal(first!.Result, second!.Result);
        Assert.False(second.IsNewResult);
        Assert.Equal(first.Result, Assert.IsType<ResultEntry>(Assert.Single(_journal.GetUnsent())).Result); // re-sent
    }

    [Fact]
    public async Task Execute_SameCommandWhileItsResultIsStillQueued_DoesNotQueueItTwice()
    {
        var command = Command("03-07", expiresIn: TimeSpan.FromMinutes(2));
        await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Single(_driver.OpenCalls);
        Assert.Single(_journal.GetUnsent());
    }

    [Fact]
    public async Task Execute_SameCommandAfterRestart_IsNotExecutedAgain()
    {
        var command = Command("03-07", expiresIn: TimeSpan.FromMinutes(2));
        var first = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);
        Restart();

        var second = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Single(_driver.OpenCalls);
        Assert.Equal(first!.Result, second!.Result);
    }

    [Fact]
    public async Task Execute_SameCommandWhileTheFirstIsOpening_IsIgnored()
    {
        _driver.Hold();
        var command = Command("03-07", expiresIn: TimeSpan.FromMinutes(2));
        var first = _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => _driver.OpenCalls.Count == 1, "first open");

        var second = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);
        _driver.Release();
        await first;

        Assert.Null(second);
        Assert.Single(_driver.OpenCalls);
    }

    [Fact]
    public async Task Execute_KilledWhileOpening_IsReportedFailedAfterRestartAndNeverRetried()
    {
        _driver.Hold();
        var command = Command("03-07", expiresIn: TimeSpan.FromMinutes(2));
        using var kill = new CancellationTokenSource();
        var first = _executor.ExecuteAsync(command, kill.Token);
        await Eventually.WaitUntilAsync(() => _driver.OpenCalls.Count == 1, "first open");
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Restart();

        var second = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Single(_driver.OpenCalls);
        Assert.Equal(new CommandResultReport(command.CommandId, BridgeProtocol.Outcomes.Failed, BridgeJournal.InterruptedDetail), second!.Result);
    }

    [Fact]
    public async Task Execute_ServerClockAhead_CommandExpiredOnServerTimeIsNotExecuted()
    {
        // Locally 30 s are left, but the server's clock is a minute ahead: the command is over.
        var command = Command("03-07", expiresIn: TimeSpan.FromSeconds(30));
        _executor.ClockOffset = TimeSpan.FromMinutes(1);

        var execution = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Empty(_driver.OpenCalls);
        Assert.Equal(BridgeProtocol.Outcomes.Expired, execution!.Result.Outcome);
    }

    [Fact]
    public async Task Execute_ServerClockBehind_CommandExpiredOnLocalTimeIsStillExecuted()
    {
        var command = Command("03-07", expiresIn: TimeSpan.FromSeconds(-30));
        _executor.ClockOffset = TimeSpan.FromMinutes(-1);

        var execution = await _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);

        Assert.Equal(["03-07"], _driver.OpenCalls);
        Assert.Equal(BridgeProtocol.Outcomes.Opened, execution!.Result.Outcome);
    }

    [Fact]
    public async Task Execute_OpenCompletesAfterExpiry_StillReportsOpened()
    {
        _driver.Hold();
        var command = Command("03-07", expiresIn: TimeSpan.FromSeconds(1));
        var running = _executor.ExecuteAsync(command, TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => _driver.OpenCalls.Count == 1, "open started");
        _clock.Advance(TimeSpan.FromSeconds(5));
        _driver.Release();

        var execution = await running;

        Assert.Equal(BridgeProtocol.Outcomes.Opened, execution!.Result.Outcome);
    }

    [Fact]
    public async Task Execute_LockFails_ReportsFailedWithTheDriversDetail()
    {
        _driver.NextResult = new LockOpenResult(false, "Tür klemmt");

        var execution = await _executor.ExecuteAsync(Command("03-07", TimeSpan.FromMinutes(2)), TestContext.Current.CancellationToken);

        Assert.Equal(BridgeProtocol.Outcomes.Failed, execution!.Result.Outcome);
        Assert.Equal("Tür klemmt", execution.Result.Detail);
    }

    [Fact]
    public async Task Execute_DriverThrows_ReportsFailedWithAShortDetail()
    {
        _driver.Throw = new InvalidOperationException(new string('x', 500));

        var execution = await _executor.ExecuteAsync(Command("03-07", TimeSpan.FromMinutes(2)), TestContext.Current.CancellationToken);

        Assert.Equal(BridgeProtocol.Outcomes.Failed, execution!.Result.Outcome);
        Assert.Equal(BridgeProtocol.Limits.MaxTextLength, execution.Result.Detail!.Length);
    }

    private UnlockCommand Command(string compartment, TimeSpan expiresIn) =>
        new(Guid.NewGuid(), compartment, BridgeProtocol.Purposes.Pickup, _clock.GetUtcNow() + expiresIn);

    private void Restart()
    {
        _journal.Dispose();
        _journal = new BridgeJournal(_directory.File("queue.jsonl"), _clock, NullLogger.Instance);
        _executor = new CommandExecutor(_driver, _journal, _clock, NullLogger.Instance);
    }
}
