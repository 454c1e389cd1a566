using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Jobs;
using BackOffice.Infrastructure.Jobs;
using BackOffice.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BackOffice.UnitTests.Jobs;

/// <summary>
/// <see cref="JobLeadership"/>: a leader job runs only while its instance leads, stops when the claim is lost, is started
/// again after a new election, and hands the claim back when the instance stops.
/// </summary>
public sealed class JobLeadershipTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunWhileLeading_AnotherInstanceLeads_NeverRunsTheJobAndKeepsTrying()
    {
        var election = new FakeElection { Grant = false };
        var leadership = NewLeadership(election);
        var runs = 0;
        using var stop = new CancellationTokenSource();

        var loop = leadership.RunWhileLeadingAsync("job", _ => { Interlocked.Increment(ref runs); return Task.CompletedTask; }, stop.Token);
        await Eventually.WaitUntilAsync(() => election.Attempts >= 3, "three elections were tried");
        await stop.CancelAsync();
        await loop;

        Assert.Equal(0, runs);
        Assert.False(leadership.Leads("job"));
    }

    [Fact]
    public async Task RunWhileLeading_Granted_RunsTheJobAndReportsLeading_StopReleasesTheClaim()
    {
        var election = new FakeElection { Grant = true };
        var leadership = NewLeadership(election);
        var started = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();

        var loop = leadership.RunWhileLeadingAsync("job", async token =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        }, stop.Token);
        await started.Task.WaitAsync(Patience);

        Assert.True(leadership.Leads("job"));
        Assert.Equal(["job"], leadership.LeadJobs);
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
        Assert.False(leadership.Leads("job"));
        Assert.Equal(1, election.Released);
    }

    [Fact]
    public async Task RunWhileLeading_ClaimLost_StopsTheJobAndRunsItAgainAfterTheNextElection()
    {
        var election = new FakeElection { Grant = true };
        var leadership = NewLeadership(election);
        var runs = new ConcurrentQueue<CancellationToken>();
        using var stop = new CancellationTokenSource();

        var loop = leadership.RunWhileLeadingAsync("job", async token =>
        {
            runs.Enqueue(token);
            await Task.Delay(Timeout.Infinite, token);
        }, stop.Token);
        await Eventually.WaitUntilAsync(() => runs.Count == 1, "the job runs");
        election.Grant = false;
        election.LoseCurrent();

        await Eventually.WaitUntilAsync(() => !leadership.Leads("job"), "the lost lead is seen");
        Assert.True(runs.Single().IsCancellationRequested);
        election.Grant = true;
        await Eventually.WaitUntilAsync(() => runs.Count == 2 && leadership.Leads("job"), "the job runs again after the next election");

        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
        Assert.Equal(2, election.Released);
    }

    [Fact]
    public async Task RunWhileLeading_TheElectionFails_TriesAgainWithoutRunningTheJob()
    {
        var election = new FakeElection { Fail = true };
        var leadership = NewLeadership(election);
        var ran = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();

        var loop = leadership.RunWhileLeadingAsync("job", _ => { ran.TrySetResult(); return Task.CompletedTask; }, stop.Token);
        await Eventually.WaitUntilAsync(() => election.Attempts >= 2, "two elections were tried");
        Assert.False(ran.Task.IsCompleted);
        election.Fail = false;
        election.Grant = true;
        await ran.Task.WaitAsync(Patience);

        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        var validator = new JobOptionsValidator();

        Assert.True(validator.Validate(null, new JobOptions()).Succeeded);
        Assert.True(validator.Validate(null, new JobOptions { LeaderRetryInterval = TimeSpan.Zero }).Failed);
        Assert.True(validator.Validate(null, new JobOptions { LeaderCheckInterval = TimeSpan.FromHours(1) }).Failed);
    }

    private static JobLeadership NewLeadership(FakeElection election) =>
        new(election, TimeProvider.System,
            Options.Create(new JobOptions { LeaderRetryInterval = TimeSpan.FromMilliseconds(20), LeaderCheckInterval = TimeSpan.FromMilliseconds(20) }),
            NullLogger<JobLeadership>.Instance);

    private sealed class FakeElection : ILeaderElection
    {
        private FakeLeadership? _current;
        private int _attempts;
        private int _released;

        public volatile bool Grant;
        public volatile bool Fail;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Released => Volatile.Read(ref _released);

        public Task<ILeadership?> TryLeadAsync(string job, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _attempts);
            if (Fail)
            {
                throw new InvalidOperationException("database away");
            }
            if (!Grant)
            {
                return Task.FromResult<ILeadership?>(null);
            }
            _current = new FakeLeadership(() => Interlocked.Increment(ref _released));
            return Task.FromResult<ILeadership?>(_current);
        }

        public void LoseCurrent() => _current!.Lose();
    }

    private sealed class FakeLeadership(Action released) : ILeadership
    {
        private readonly CancellationTokenSource _lost = new();

        public CancellationToken Lost => _lost.Token;

        public void Lose() => _lost.Cancel();

        public ValueTask DisposeAsync()
        {
            released();
            _lost.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Each leader job has a lock key of its own, the same in every process (the claim is found by its key).</summary>
public sealed class LeaderLockKeyTests
{
    [Fact]
    public void LeaderJobs_HaveDistinctStableLockKeys()
    {
        var keys = LeaderJobs.All.Select(PostgresLeaderElection.JobKey).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(keys, k => Assert.True(k >= 0));
        Assert.Equal(PostgresLeaderElection.JobKey(LeaderJobs.PickupReminders), PostgresLeaderElection.JobKey("pickup-reminders"));
    }
}
