using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BackOffice.Bridge;

/// <summary>
/// Delivers the journal's outbox to the back office, strictly in order: the head entry blocks the ones after it until
/// the server accepted it. An entry the server did not process (<c>Unavailable:</c>, any other error, a lost
/// connection) stays and is tried again after <see cref="BridgeOptions.RetryDelays"/>, across reconnects and
/// restarts; only a definitive refusal (<c>Refused:</c>) drops it, recorded in the journal with the reason.
/// </summary>
/// <remarks>
/// Singleton. Wakes up when the journal queues an entry and when a session starts. <see cref="FlushAsync"/> may be
/// called from any thread; sends are serialized.
/// </remarks>
internal sealed partial class OutboxSender : BackgroundService, IAsyncDisposable
{
    // Real time on purpose: bounds how long disposal waits for the loop.
    private static readonly TimeSpan ShutdownWait = TimeSpan.FromSeconds(5);

    private readonly BridgeJournal _journal;
    private readonly BridgeSession _session;
    private readonly TimeSpan[] _retryDelays;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OutboxSender> _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _headFailures;

    public OutboxSender(BridgeJournal journal, BridgeSession session, IOptions<BridgeOptions> options, TimeProvider timeProvider, ILogger<OutboxSender> logger)
    {
        _journal = journal;
        _session = session;
        _retryDelays = options.Value.RetryDelays is { Length: > 0 } delays ? delays : [TimeSpan.FromSeconds(5)];
        _timeProvider = timeProvider;
        _logger = logger;
        _journal.EntryQueued += Wake;
        _session.SessionStarted += Wake;
    }

    /// <summary>
    /// Sends queued entries in order until the queue is empty or the head entry could not be delivered; never throws
    /// except for the caller's cancellation.
    /// </summary>
    public async Task<FlushOutcome> FlushAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_journal.TryPeekUnsent(out var entry))
            {
                if (_session.LiveConnection is not { } connection)
                {
                    return FlushOutcome.NotConnected;
                }
                try
                {
                    await connection.InvokeAsync(entry.HubMethod, entry.Payload, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (HubErrors.IsRefusal(ex, out var reason))
                {
                    LogRefused(_logger, entry.Describe(), entry.Sequence, reason);
                    _journal.MarkRejected(entry.Sequence, reason);
                    _headFailures = 0;
                    continue;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException and not ObjectDisposedException)
                {
                    // Not processed, or the connection failed mid-call: the entry stays at the head and goes again.
                    _headFailures++;
                    if (ex is HubException)
                    {
                        LogNotProcessed(_logger, entry.Describe(), entry.Sequence, _headFailures, ex.Message, RetryDelay);
                        return FlushOutcome.NotProcessed;
                    }
                    LogSendInterrupted(_logger, entry.Describe(), entry.Sequence, ex);
                    return _session.IsLive ? FlushOutcome.NotProcessed : FlushOutcome.NotConnected;
                }
                _journal.MarkSent(entry.Sequence);
                _headFailures = 0;
            }
            return FlushOutcome.Empty;
        }
        catch (ObjectDisposedException)
        {
            return FlushOutcome.NotConnected; // shutting down: the journal or connection is gone
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Graceful stop: one last attempt to deliver what is queued; what is left waits in the journal for the next start.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _journal.EntryQueued -= Wake;
        _session.SessionStarted -= Wake;
        Dispose(); // cancels the loop
        if (ExecuteTask is { } loop)
        {
            try
            {
                await loop.WaitAsync(ShutdownWait).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogLoopEnded(_logger, ex);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Whatever a previous run left in the journal goes as soon as a session is live.
            Wake();
            while (await _wake.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                while (await FlushAsync(stoppingToken).ConfigureAwait(false) == FlushOutcome.NotProcessed)
                {
                    // The head entry blocks the queue: wait, then the same entry goes again.
                    await Task.Delay(RetryDelay, _timeProvider, stoppingToken).ConfigureAwait(false);
                }
                // NotConnected: the next session's start wakes this loop.
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private TimeSpan RetryDelay => _retryDelays[Math.Clamp(_headFailures - 1, 0, _retryDelays.Length - 1)];

    private void Wake() => _wake.Writer.TryWrite(true);

    [LoggerMessage(Level = LogLevel.Error, Message = "The back office refused {Kind} (entry {Sequence}) for good: {Reason} It is dropped so the queue can go on.")]
    private static partial void LogRefused(ILogger logger, string kind, long sequence, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The back office did not process {Kind} (entry {Sequence}, attempt {Attempt}): {Error} It stays first in the queue; next try in {Delay}.")]
    private static partial void LogNotProcessed(ILogger logger, string kind, long sequence, int attempt, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending {Kind} (entry {Sequence}) was interrupted; it stays first in the queue.")]
    private static partial void LogSendInterrupted(ILogger logger, string kind, long sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The outbox loop did not end cleanly.")]
    private static partial void LogLoopEnded(ILogger logger, Exception exception);
}

/// <summary>How far <see cref="OutboxSender.FlushAsync"/> got.</summary>
internal enum FlushOutcome
{
    /// <summary>Everything queued was accepted (or refused for good).</summary>
    Empty,

    /// <summary>The head entry was not processed; it stays and is tried again after a delay.</summary>
    NotProcessed,

    /// <summary>No live session; the next one sends.</summary>
    NotConnected,
}
