using System.Security.Cryptography;
using System.Text;
using BackOffice.Application.Abstractions;
using BackOffice.Application.Jobs;
using BackOffice.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BackOffice.Infrastructure.Jobs;

/// <summary>
/// Leader election by a PostgreSQL session-level advisory lock (<c>pg_try_advisory_lock</c>), held on a connection of its
/// own for as long as the instance leads. PostgreSQL frees the lock when that connection ends, however it ends (the
/// process killed, the machine gone), so another instance takes the job at its next try (docs/decisions/0026).
/// </summary>
/// <remarks>
/// Singleton, thread-safe. The lock connection is not pooled: a pooled connection returned to the pool would keep its
/// session, and with it the lock, after the leader let go. Each leadership proves every
/// <see cref="JobOptions.LeaderCheckInterval"/> that its session still holds the lock, and reports the loss otherwise.
/// </remarks>
internal sealed partial class PostgresLeaderElection(
    IOptions<DatabaseOptions> database,
    IOptions<JobOptions> jobs,
    TimeProvider timeProvider,
    ILogger<PostgresLeaderElection> logger) : ILeaderElection
{
    /// <summary>
    /// The first key of the two-key advisory locks of leader jobs. Two-key locks are a key space of their own, apart from
    /// the one-key locks of the migration run and the audit chain.
    /// </summary>
    internal const int LockClass = 736214601;

    /// <summary>The prefix of the lock connections' application name, so <c>pg_stat_activity</c> shows who leads what.</summary>
    internal const string ApplicationNamePrefix = "backoffice-leader:";

    public async Task<ILeadership?> TryLeadAsync(string job, CancellationToken cancellationToken = default)
    {
        var key = JobKey(job);
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Value.ConnectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationNamePrefix + job,
            // The operating system notices a peer that vanished without closing the connection.
            TcpKeepAlive = true,
            Timeout = 10,
            CommandTimeout = 10,
        }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var session = new NpgsqlCommand(SessionLimits(jobs.Value.LeaderCheckInterval), connection))
            {
                await session.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@class, @job)", connection);
            command.Parameters.AddWithValue("class", LockClass);
            command.Parameters.AddWithValue("job", key);
            if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            {
                await connection.DisposeAsync();
                return null;
            }
            return new Leadership(connection, job, key, jobs.Value.LeaderCheckInterval, timeProvider, logger);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The server ends the lock's session, and frees the lock, when the leader goes silent: by TCP keepalive when its
    /// host vanished without closing the connection (seconds instead of the kernel's two hours), and when it missed
    /// several checks in a row (frozen, or cut off without the network saying so). Both are settings of this session only.
    /// </summary>
    internal static string SessionLimits(TimeSpan checkInterval)
    {
        var silence = (long)Math.Max(3 * checkInterval.TotalMilliseconds, TimeSpan.FromSeconds(15).TotalMilliseconds);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3; SET idle_session_timeout = {silence}");
    }

    /// <summary>The job's lock key: stable across processes and versions (string.GetHashCode is randomised per process).</summary>
    internal static int JobKey(string job) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(job)), 0) & int.MaxValue;

    private sealed class Leadership : ILeadership
    {
        private readonly NpgsqlConnection _connection;
        private readonly string _job;
        private readonly int _key;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _watch;

        public Leadership(NpgsqlConnection connection, string job, int key, TimeSpan checkInterval, TimeProvider timeProvider, ILogger logger)
        {
            _connection = connection;
            _job = job;
            _key = key;
            _logger = logger;
            _watch = WatchAsync(checkInterval, timeProvider);
        }

        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _watch;
            if (!_lost.IsCancellationRequested)
            {
                try
                {
                    // Closing an unpooled connection ends the session and frees the lock anyway; unlocking first says so at once.
                    await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@class, @job)", _connection);
                    command.Parameters.AddWithValue("class", LockClass);
                    command.Parameters.AddWithValue("job", _key);
                    await command.ExecuteScalarAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    // The connection broke meanwhile: the session, and its lock, are gone with it.
                }
            }
            await _connection.DisposeAsync();
            _lost.Dispose();
            _stop.Dispose();
        }

        private async Task WatchAsync(TimeSpan interval, TimeProvider timeProvider)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(interval, timeProvider, _stop.Token);
                    if (!await StillHeldAsync())
                    {
                        LogLockGone(_logger, _job);
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogConnectionBroke(_logger, _job, ex.Message);
                await _lost.CancelAsync();
            }
        }

        private async Task<bool> StillHeldAsync()
        {
            await using var command = new NpgsqlCommand("""
                SELECT EXISTS (SELECT 1 FROM pg_locks
                    WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND granted
                      AND classid::bigint = @class AND objid::bigint = @job AND objsubid = 2)
                """, _connection);
            command.Parameters.AddWithValue("class", (long)LockClass);
            command.Parameters.AddWithValue("job", (long)_key);
            return await command.ExecuteScalarAsync(_stop.Token) is true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The leader lock of the job {Job} is no longer held by this instance")]
    private static partial void LogLockGone(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The leader lock connection of the job {Job} broke: {Reason}")]
    private static partial void LogConnectionBroke(ILogger logger, string job, string reason);
}
