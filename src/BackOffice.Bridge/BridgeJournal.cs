using System.Diagnostics.CodeAnalysis;
using BackOffice.Bridge.Contracts;
using BackOffice.Bridge.Journal;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// The bridge's durable memory: an append-only <see cref="JournalFile"/> (every line that matters flushed to disk before
/// the call returns) holding the <see cref="OutboxQueue"/> (results, door events and old-document reports, kept until
/// the back office accepted them or refused them for good) and the <see cref="ExecutedCommands"/> (a command re-sent by
/// the server is never executed twice).
/// </summary>
/// <remarks>Thread-safe. Only one instance may hold a file (the file is opened without write sharing).</remarks>
internal sealed partial class BridgeJournal : IDisposable
{
    /// <summary>The result detail of a command the bridge was killed while executing (the server quotes it to staff).</summary>
    public const string InterruptedDetail = "Bridge während des Öffnens beendet, Türzustand unbekannt";

    private readonly Lock _gate = new();
    private readonly JournalFile _file;
    private readonly OutboxQueue _outbox = new();
    private readonly ExecutedCommands _executed = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly BridgeJournalOptions _settings;
    private bool _disposed;

    public BridgeJournal(string path, TimeProvider timeProvider, ILogger logger, BridgeJournalOptions? settings = null)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        _settings = settings ?? new BridgeJournalOptions();
        _file = new JournalFile(path, logger);
        try
        {
            foreach (var line in _file.Open())
            {
                Apply(line);
            }
        }
        catch
        {
            _file.Dispose();
            throw;
        }
        if (_outbox.Count > 0)
        {
            LogEntriesToSend(_logger, path, _outbox.Count);
        }
        RecoverInterruptedCommands();
    }

    /// <summary>Lines currently in the file (tests watch compaction with it).</summary>
    public int LinesInFile
    {
        get
        {
            lock (_gate)
            {
                return _file.LineCount;
            }
        }
    }

    public int UnsentCount
    {
        get
        {
            lock (_gate)
            {
                return _outbox.Count;
            }
        }
    }

    /// <summary>Entries not yet accepted, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> GetUnsent()
    {
        lock (_gate)
        {
            return _outbox.Entries;
        }
    }

    public bool TryPeekUnsent([NotNullWhen(true)] out OutboxEntry? entry)
    {
        lock (_gate)
        {
            return _outbox.TryPeek(out entry);
        }
    }

    /// <summary>Raised after an entry was queued and is on disk (outside the journal's lock): the sender's wake-up.</summary>
    public event Action? EntryQueued;

    public DoorEntry EnqueueDoor(DoorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Enqueue(sequence => new DoorEntry(sequence, report));
    }

    public OldDocumentEntry EnqueueOldDocument(OldDocumentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Enqueue(sequence => new OldDocumentEntry(sequence, report));
    }

    /// <summary>
    /// Claims a command for execution. <see cref="CommandClaim.New"/>: the caller executes it;
    /// <see cref="CommandClaim.Completed"/>: it was executed before, <paramref name="recorded"/> is its result;
    /// <see cref="CommandClaim.InProgress"/>: it is executing right now (or was interrupted by a crash and is being reported).
    /// </summary>
    public CommandClaim ClaimCommand(Guid commandId, out CommandResultReport? recorded)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _executed.Claim(commandId, out recorded);
        }
    }

    /// <summary>Releases a claim that never reached the lock (e.g. cancelled before it started).</summary>
    public void ReleaseClaim(Guid commandId)
    {
        lock (_gate)
        {
            _executed.ReleaseClaim(commandId);
        }
    }

    /// <summary>Written to disk before the lock is touched: after a crash the command counts as executed, never runs again.</summary>
    public void RecordCommandStarted(Guid commandId)
    {
        lock (_gate)
        {
            var at = _timeProvider.GetUtcNow();
            Append(new CommandStartedLine(commandId, at), toDisk: true);
            _executed.Started(commandId, at);
        }
    }

    /// <summary>Records a command's result (from now on it counts as executed) and queues it for the server.</summary>
    public ResultEntry RecordCommandResult(CommandResultReport result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var at = _timeProvider.GetUtcNow();
        return Enqueue(sequence => new ResultEntry(sequence, result, at));
    }

    /// <summary>Queues a recorded result again, unless it is still waiting in the queue anyway. False when nothing was queued.</summary>
    public bool RequeueResult(CommandResultReport result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (_outbox.ContainsResultOf(result.CommandId))
            {
                return false;
            }
            var at = _executed.ExecutedAt(result.CommandId) ?? _timeProvider.GetUtcNow();
            Enqueue(sequence => new ResultEntry(sequence, result, at));
            return true;
        }
    }

    /// <summary>The server accepted the entry.</summary>
    public void MarkSent(long sequence)
    {
        lock (_gate)
        {
            if (_outbox.Remove(sequence))
            {
                // Not forced to disk: losing this line only means sending the entry again, which the server ignores.
                Append(new EntrySentLine(sequence), toDisk: false);
                CompactIfWorthIt();
            }
        }
    }

    /// <summary>The server refused the entry for good (<c>Refused:</c>); it leaves the queue with the reason on record.</summary>
    public void MarkRejected(long sequence, string reason)
    {
        lock (_gate)
        {
            if (_outbox.Remove(sequence))
            {
                Append(new EntryRejectedLine(sequence, Truncate(reason)), toDisk: true);
                CompactIfWorthIt();
            }
        }
    }

    /// <summary>Rewrites the file with only what still matters: unsent entries and recently executed commands.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            var unsentResults = _outbox.Entries.OfType<ResultEntry>().Select(e => e.Result.CommandId).ToHashSet();
            _executed.Forget(_timeProvider.GetUtcNow() - _settings.ExecutedRetention, unsentResults);
            List<JournalLine> lines = [.. _executed.ToLines(), .. _outbox.Entries];
            _file.Rewrite(lines);
            LogCompacted(_logger, lines.Count, _outbox.Count);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _file.Dispose();
        }
    }

    private static string Truncate(string text) =>
        text.Length <= BridgeProtocol.Limits.MaxTextLength ? text : text[..BridgeProtocol.Limits.MaxTextLength];

    private TEntry Enqueue<TEntry>(Func<long, TEntry> create)
        where TEntry : OutboxEntry
    {
        TEntry entry;
        lock (_gate)
        {
            entry = create(_outbox.NextSequence);
            Append(entry, toDisk: true);
            Apply(entry);
        }
        EntryQueued?.Invoke();
        return entry;
    }

    /// <summary>The one place where a line changes the state in memory, whether read at start or just written.</summary>
    private void Apply(JournalLine line)
    {
        switch (line)
        {
            case ResultEntry result:
                _outbox.Add(result);
                _executed.Completed(result.Result.CommandId, result.Result, result.At ?? _timeProvider.GetUtcNow());
                break;
            case OutboxEntry entry:
                _outbox.Add(entry);
                break;
            case CommandStartedLine started:
                _executed.Started(started.CommandId, started.At ?? _timeProvider.GetUtcNow());
                break;
            case CommandExecutedLine executed:
                _executed.Completed(executed.CommandId, executed.Result, executed.At ?? _timeProvider.GetUtcNow());
                break;
            case EntrySentLine sent:
                _outbox.Remove(sent.Sequence);
                break;
            case EntryRejectedLine rejected:
                _outbox.Remove(rejected.Sequence);
                break;
        }
    }

    private void RecoverInterruptedCommands()
    {
        // Started but no result: the bridge died while the lock was working. The door may or may not have opened;
        // it must not be tried again, so the command is reported as failed with that explanation.
        foreach (var commandId in _executed.Interrupted)
        {
            LogInterrupted(_logger, commandId);
            RecordCommandResult(new CommandResultReport(commandId, BridgeProtocol.Outcomes.Failed, InterruptedDetail));
        }
    }

    private void Append(JournalLine line, bool toDisk)
    {
        ThrowIfDisposed();
        _file.Append(line, toDisk);
    }

    private void CompactIfWorthIt()
    {
        var liveLines = _outbox.Count + _executed.Count;
        if (_file.LineCount >= _settings.CompactAfterLines && _file.LineCount > 2 * liveLines)
        {
            try
            {
                Compact();
            }
            catch (IOException ex)
            {
                // The journal stays valid, only larger; the next acknowledgement tries again.
                LogCompactionFailed(_logger, ex);
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal {Path}: {Count} entries still to send.")]
    private static partial void LogEntriesToSend(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Journal compacted to {Lines} lines ({Unsent} unsent).")]
    private static partial void LogCompacted(ILogger logger, int lines, int unsent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal could not be compacted.")]
    private static partial void LogCompactionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} was interrupted by a restart while opening; reporting it as failed.")]
    private static partial void LogInterrupted(ILogger logger, Guid commandId);
}

internal enum CommandClaim
{
    New,
    InProgress,
    Completed,
}

internal sealed class BridgeJournalOptions
{
    /// <summary>Compaction is considered once the file has this many lines.</summary>
    public int CompactAfterLines { get; init; } = 1000;

    /// <summary>How long executed command ids are remembered (the protocol needs at least a day).</summary>
    public TimeSpan ExecutedRetention { get; init; } = TimeSpan.FromDays(7);
}
