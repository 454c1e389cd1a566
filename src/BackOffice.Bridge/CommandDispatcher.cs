using System.Collections.Concurrent;
using BackOffice.Bridge.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// Runs each Unlock (live or pending in Hello) off the connection's receive loop through the <see cref="CommandExecutor"/>,
/// which journals the result (and so queues it for the <see cref="OutboxSender"/>).
/// </summary>
/// <remarks>
/// Singleton; <see cref="Dispatch"/> may be called from any thread. A graceful stop lets running commands finish;
/// disposal cancels them, as a killed process would (the journal then knows they started).
/// </remarks>
internal sealed partial class CommandDispatcher(CommandExecutor executor, ILogger<CommandDispatcher> logger) : IHostedService, IAsyncDisposable
{
    // Real time on purpose: bounds how long disposal waits for a lock driver that ignores cancellation.
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    /// <summary>Raised synchronously as soon as an Unlock arrives (live or pending in Hello), before any check.</summary>
    public event Action<UnlockCommand>? CommandReceived;

    /// <summary>Raised after a command's result was produced locally (Opened, Failed, Expired) and recorded; not for a result reproduced from the journal.</summary>
    public event Action<CommandResultReport>? CommandCompleted;

    /// <summary>Server clock minus local clock, as measured at the last Hello.</summary>
    public TimeSpan ClockOffset
    {
        get => executor.ClockOffset;
        set => executor.ClockOffset = value;
    }

    public void Dispatch(UnlockCommand command)
    {
        if (command is null)
        {
            return;
        }
        try
        {
            CommandReceived?.Invoke(command);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(logger, nameof(CommandReceived), ex);
        }
        if (command.CommandId == Guid.Empty)
        {
            LogWithoutId(logger);
            return;
        }
        if (_lifetime.IsCancellationRequested)
        {
            return; // disposed: not executed, the server sends it again in the next Hello
        }
        // The lock takes a while: run it off the connection's receive loop.
        var task = Task.Run(() => RunAsync(command), CancellationToken.None);
        _running.TryAdd(task, true);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for running commands (their results are journaled) until <paramref name="cancellationToken"/> says no more time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: an unfinished command counts as interrupted after the next start.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(ShutdownWait).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotEndedCleanly(logger, ex);
        }
    }

    private async Task RunAsync(UnlockCommand command)
    {
        var token = _lifetime.Token;
        try
        {
            var execution = await executor.ExecuteAsync(command, token).ConfigureAwait(false);
            if (execution is { IsNewResult: true })
            {
                try
                {
                    CommandCompleted?.Invoke(execution.Result);
                }
                catch (Exception ex)
                {
                    LogHandlerFailed(logger, nameof(CommandCompleted), ex);
                }
            }
        }
        catch (Exception ex) when (token.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException)
        {
            // Killed mid-command; the journal knows whether it started.
        }
        catch (Exception ex)
        {
            LogCommandFailed(logger, command.CommandId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Event} handler failed.")]
    private static partial void LogHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unlock without command id ignored.")]
    private static partial void LogWithoutId(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command {CommandId} could not be completed.")]
    private static partial void LogCommandFailed(ILogger logger, Guid commandId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Running commands did not end cleanly.")]
    private static partial void LogNotEndedCleanly(ILogger logger, Exception exception);
}
