using System.Collections.Concurrent;
using BackOffice.Application.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Application.Jobs;

/// <summary>Settings under <c>Jobs</c>: how leader jobs find and keep their leader (docs/decisions/0026).</summary>
public sealed class JobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>How often an instance that does not lead a job tries to take it (the takeover delay after a leader dies).</summary>
    public TimeSpan LeaderRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a leader proves it still holds its claim; a broken connection stops its job within this time.</summary>
    public TimeSpan LeaderCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class JobOptionsValidator : IValidateOptions<JobOptions>
{
    public ValidateOptionsResult Validate(string? name, JobOptions options)
    {
        var errors = new List<string>();
        if (options.LeaderRetryInterval < TimeSpan.FromMilliseconds(50) || options.LeaderRetryInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add("Jobs:LeaderRetryInterval must be between 00:00:00.05 and 00:10:00.");
        }
        if (options.LeaderCheckInterval < TimeSpan.FromMilliseconds(50) || options.LeaderCheckInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add("Jobs:LeaderCheckInterval must be between 00:00:00.05 and 00:10:00.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// Runs a background job only on the instance that leads it: tries to become leader, runs the job while leading,
/// stops it when the claim is lost and tries again; another instance takes over when this one dies or stops.
/// </summary>
/// <remarks>
/// Singleton, thread-safe; <see cref="Leads"/> tells which jobs this instance leads right now (tests, health). Between a
/// leader's death and the next holder's try the job pauses (<see cref="JobOptions.LeaderRetryInterval"/>); the jobs stay
/// safe to run twice (their own concurrency checks), because a leader cut off from the database stops only at its
/// next check.
/// </remarks>
public sealed partial class JobLeadership(
    ILeaderElection election, TimeProvider timeProvider, IOptions<JobOptions> settings, ILogger<JobLeadership> logger)
{
    private readonly ConcurrentDictionary<string, bool> _leading = new(StringComparer.Ordinal);

    /// <summary>Whether this instance leads <paramref name="job"/> now.</summary>
    public bool Leads(string job) => _leading.TryGetValue(job, out var leads) && leads;

    /// <summary>The jobs this instance leads now.</summary>
    public IReadOnlyCollection<string> LeadJobs => [.. _leading.Where(j => j.Value).Select(j => j.Key).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Runs <paramref name="job"/> whenever this instance leads <paramref name="name"/>, until <paramref name="stoppingToken"/>
    /// fires. The job gets a token that is cancelled when leadership is lost; it is started afresh after each new election.
    /// </summary>
    public async Task RunWhileLeadingAsync(string name, Func<CancellationToken, Task> job, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ILeadership? leadership = null;
            try
            {
                leadership = await election.TryLeadAsync(name, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database is away: nobody can prove leadership, so nobody runs the job until it is back.
                LogElectionFailed(logger, name, ex.Message);
            }

            if (leadership is not null)
            {
                await LeadAsync(name, job, leadership, stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
            try
            {
                await Task.Delay(settings.Value.LeaderRetryInterval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task LeadAsync(string name, Func<CancellationToken, Task> job, ILeadership leadership, CancellationToken stoppingToken)
    {
        await using (leadership)
        {
            using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
            _leading[name] = true;
            LogLeading(logger, name);
            try
            {
                await job(running.Token);
            }
            catch (OperationCanceledException) when (running.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                // The job's own loop logs its rounds; this is a bug that ended the loop. Hand the job on.
                LogJobFailed(logger, name, ex);
            }
            finally
            {
                _leading[name] = false;
            }
            if (leadership.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                LogLost(logger, name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance now leads the job {Job}")]
    private static partial void LogLeading(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance lost the lead of the job {Job} (its database connection broke); it stopped the job and tries again")]
    private static partial void LogLost(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leader election for the job {Job} failed; trying again: {Reason}")]
    private static partial void LogElectionFailed(ILogger logger, string job, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The leader job {Job} ended with an error; this instance hands it on")]
    private static partial void LogJobFailed(ILogger logger, string job, Exception exception);
}

/// <summary>The jobs that run on one leader at a time (docs/decisions/0026); the name keys the claim in the database.</summary>
public static class LeaderJobs
{
    public const string BridgeSweeper = "bridge-sweeper";
    public const string InventoryWatch = "inventory-watch";
    public const string AlarmEvaluation = "alarm-evaluation";
    public const string PickupReminders = "pickup-reminders";
    public const string PersonalDataRetention = "personal-data-retention";

    public static IReadOnlyList<string> All { get; } = [BridgeSweeper, InventoryWatch, AlarmEvaluation, PickupReminders, PersonalDataRetention];
}
