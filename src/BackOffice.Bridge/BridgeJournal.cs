using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BackOffice.Bridge.Contracts;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge;

/// <summary>
/// The bridge's durable memory, one JSON object per line, every write flushed to disk:
/// the outgoing queue (command results, door reports and old-document reports, sent in order, dropped once acknowledged
/// or rejected)
/// and the commands already executed, so a command re-sent by the server is never executed twice.
/// </summary>
/// <remarks>Thread-safe. Only one instance may hold a file (the file is opened without write sharing).</remarks>
internal sealed class BridgeJournal : IDisposable
{
    public const string InterruptedDetail = "Bridge wurde während des Öffnens beendet; ob die Tür geöffnet wurde, ist unbekannt.";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly BridgeJournalSettings _settings;
    private readonly SortedDictionary<long, JournalEntry> _unsent = [];
    private readonly Dictionary<Guid, ExecutedCommand> _commands = [];
    private readonly HashSet<Guid> _inProgress = [];
    private FileStream _file;
    private long _nextSequence = 1;
    private int _linesInFile;
    private bool _disposed;

    public BridgeJournal(string path, TimeProvider timeProvider, ILogger logger, BridgeJournalSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _timeProvider = timeProvider;
        _logger = logger;
        _settings = settings ?? new BridgeJournalSettings();
        if (Path.GetDirectoryName(_path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var endsWithNewLine = Load();
        // Held without sharing (an exclusive lock on Linux), so a second bridge on the same file fails instead of interleaving.
        _file = OpenForAppend(_path);
        if (!endsWithNewLine)
        {
            // Start the next record on a line of its own after a torn write.
            _file.Write(NewLine);
            _file.Flush(flushToDisk: true);
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
                return _linesInFile;
            }
        }
    }

    public int UnsentCount
    {
        get
        {
            lock (_gate)
            {
                return _unsent.Count;
            }
        }
    }

    /// <summary>Entries not yet acknowledged, oldest first.</summary>
    public IReadOnlyList<JournalEntry> GetUnsent()
    {
        lock (_gate)
        {
            return _unsent.Values.ToList();
        }
    }

    public bool TryPeekUnsent([NotNullWhen(true)] out JournalEntry? entry)
    {
        lock (_gate)
        {
            entry = _unsent.Count > 0 ? _unsent.First().Value : null;
            return entry is not null;
        }
    }

    public JournalEntry EnqueueDoor(DoorReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            var entry = new JournalEntry(_nextSequence++, null, report, null);
            Append(new JournalLine { Type = LineTypes.Door, Seq = entry.Sequence, Door = report }, toDisk: true);
            _unsent.Add(entry.Sequence, entry);
            return entry;
        }
    }

    public JournalEntry EnqueueOldDocument(OldDocumentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate)
        {
            var entry = new JournalEntry(_nextSequence++, null, null, report);
            Append(new JournalLine { Type = LineTypes.OldDocument, Seq = entry.Sequence, OldDocument = report }, toDisk: true);
            _unsent.Add(entry.Sequence, entry);
            return entry;
        }
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
            recorded = null;
            if (_commands.TryGetValue(commandId, out var known))
            {
                recorded = known.Result;
                return known.Result is null ? CommandClaim.InProgress : CommandClaim.Completed;
            }
            return _inProgress.Add(commandId) ? CommandClaim.New : CommandClaim.InProgress;
        }
    }

    /// <summary>Releases a claim that never reached the lock (e.g. cancelled before it started).</summary>
    public void ReleaseClaim(Guid commandId)
    {
        lock (_gate)
        {
            _inProgress.Remove(commandId);
        }
    }

    /// <summary>Written to disk before the lock is touched: after a crash the command counts as executed, never runs again.</summary>
    public void RecordCommandStarted(Guid commandId)
    {
        lock (_gate)
        {
            var at = _timeProvider.GetUtcNow();
            Append(new JournalLine { Type = LineTypes.Started, CommandId = commandId, At = at }, toDisk: true);
            _commands[commandId] = new ExecutedCommand(at, null);
        }
    }

    /// <summary>Records a command's result (from now on it counts as executed) and queues it for the server.</summary>
    public JournalEntry RecordCommandResult(CommandResultReport result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            var at = _timeProvider.GetUtcNow();
            var entry = new JournalEntry(_nextSequence++, result, null, null);
            Append(new JournalLine { Type = LineTypes.Result, Seq = entry.Sequence, At = at, Result = result }, toDisk: true);
            _commands[result.CommandId] = new ExecutedCommand(at, result);
            _inProgress.Remove(result.CommandId);
            _unsent.Add(entry.Sequence, entry);
            return entry;
        }
    }

    /// <summary>Queues a recorded result again, unless it is still waiting in the queue anyway. False when nothing was queued.</summary>
    public bool RequeueResult(CommandResultReport result)
    {
        lock (_gate)
        {
            if (_unsent.Values.Any(e => e.Result?.CommandId == result.CommandId))
            {
                return false;
            }
            var entry = new JournalEntry(_nextSequence++, result, null, null);
            Append(new JournalLine { Type = LineTypes.Result, Seq = entry.Sequence, At = _commands.TryGetValue(result.CommandId, out var known) ? known.At : _timeProvider.GetUtcNow(), Result = result }, toDisk: true);
            _unsent.Add(entry.Sequence, entry);
            return true;
        }
    }

    /// <summary>The server acknowledged the entry.</summary>
    public void MarkSent(long sequence)
    {
        lock (_gate)
        {
            if (_unsent.Remove(sequence))
            {
                // Not forced to disk: losing this line only means sending the entry again, which the server ignores.
                Append(new JournalLine { Type = LineTypes.Sent, Seq = sequence }, toDisk: false);
                CompactIfWorthIt();
            }
        }
    }

    /// <summary>The server refused the entry; it is dropped so it cannot block the queue.</summary>
    public void MarkRejected(long sequence, string reason)
    {
        lock (_gate)
        {
            if (_unsent.Remove(sequence))
            {
                Append(new JournalLine { Type = LineTypes.Rejected, Seq = sequence, Reason = Truncate(reason) }, toDisk: true);
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
            var cutoff = _timeProvider.GetUtcNow() - _settings.ExecutedRetention;
            var unsentCommandIds = _unsent.Values.Where(e => e.Result is not null).Select(e => e.Result!.CommandId).ToHashSet();
            foreach (var expired in _commands.Where(c => c.Value.At < cutoff && c.Value.Result is not null && !unsentCommandIds.Contains(c.Key)).Select(c => c.Key).ToList())
            {
                _commands.Remove(expired);
            }

            var lines = new List<JournalLine>();
            foreach (var (commandId, command) in _commands.OrderBy(c => c.Value.At))
            {
                lines.Add(command.Result is null
                    ? new JournalLine { Type = LineTypes.Started, CommandId = commandId, At = command.At }
                    : new JournalLine { Type = LineTypes.Executed, CommandId = commandId, At = command.At, Result = command.Result });
            }
            foreach (var entry in _unsent.Values)
            {
                lines.Add(entry switch
                {
                    { Result: { } result } => new JournalLine { Type = LineTypes.Result, Seq = entry.Sequence, At = _commands.GetValueOrDefault(result.CommandId)?.At, Result = result },
                    { OldDocument: { } oldDocument } => new JournalLine { Type = LineTypes.OldDocument, Seq = entry.Sequence, OldDocument = oldDocument },
                    _ => new JournalLine { Type = LineTypes.Door, Seq = entry.Sequence, Door = entry.Door },
                });
            }

            // Write a new file and swap it in by rename, so a crash leaves either the old or the new journal.
            var temporary = _path + ".compact";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                foreach (var line in lines)
                {
                    stream.Write(Serialize(line));
                }
                stream.Flush(flushToDisk: true);
            }
            _file.Dispose();
            File.Move(temporary, _path, overwrite: true);
            _file = OpenForAppend(_path);
            _linesInFile = lines.Count;
            _logger.LogDebug("Journal compacted to {Lines} lines ({Unsent} unsent).", lines.Count, _unsent.Count);
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

    private static FileStream OpenForAppend(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);

    private static byte[] Serialize(JournalLine line)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(line, JsonOptions);
        return [.. json, .. NewLine];
    }

    private static string Truncate(string text) =>
        text.Length <= BridgeProtocol.Limits.MaxTextLength ? text : text[..BridgeProtocol.Limits.MaxTextLength];

    /// <summary>Reads the file into memory; false when its last line is torn (no final newline).</summary>
    private bool Load()
    {
        var lineNumber = 0;
        var endsWithNewLine = true;
        using (var reader = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.Read))
        {
            if (reader.Length > 0)
            {
                reader.Seek(-1, SeekOrigin.End);
                endsWithNewLine = reader.ReadByte() == '\n';
                reader.Seek(0, SeekOrigin.Begin);
            }
            using var text = new StreamReader(reader, Encoding.UTF8);
            while (text.ReadLine() is { } raw)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(raw))
                {
                    continue;
                }
                JournalLine? line;
                try
                {
                    line = JsonSerializer.Deserialize<JournalLine>(raw, JsonOptions);
                }
                catch (JsonException)
                {
                    line = null;
                }
                if (line is null || !Apply(line))
                {
                    // Typically the last line, torn by a power cut while it was written.
                    _logger.LogWarning("Journal {Path}: line {Line} is unreadable and was skipped.", _path, lineNumber);
                }
            }
        }
        _linesInFile = lineNumber;
        if (_unsent.Count > 0)
        {
            _logger.LogInformation("Journal {Path}: {Count} entries still to send.", _path, _unsent.Count);
        }
        return endsWithNewLine;
    }

    private bool Apply(JournalLine line)
    {
        switch (line.Type)
        {
            case LineTypes.Door when line is { Seq: { } seq, Door: { } door }:
                _unsent[seq] = new JournalEntry(seq, null, door, null);
                _nextSequence = Math.Max(_nextSequence, seq + 1);
                return true;
            case LineTypes.OldDocument when line is { Seq: { } seq, OldDocument: { } oldDocument }:
                _unsent[seq] = new JournalEntry(seq, null, null, oldDocument);
                _nextSequence = Math.Max(_nextSequence, seq + 1);
                return true;
            case LineTypes.Result when line is { Seq: { } seq, Result: { } result }:
                _unsent[seq] = new JournalEntry(seq, result, null, null);
                _commands[result.CommandId] = new ExecutedCommand(line.At ?? _timeProvider.GetUtcNow(), result);
                _nextSequence = Math.Max(_nextSequence, seq + 1);
                return true;
            case LineTypes.Started when line is { CommandId: { } commandId }:
                if (!_commands.ContainsKey(commandId))
                {
                    _commands[commandId] = new ExecutedCommand(line.At ?? _timeProvider.GetUtcNow(), null);
                }
                return true;
            case LineTypes.Executed when line is { CommandId: { } commandId, Result: { } result }:
                _commands[commandId] = new ExecutedCommand(line.At ?? _timeProvider.GetUtcNow(), result);
                return true;
            case LineTypes.Sent or LineTypes.Rejected when line is { Seq: { } seq }:
                _unsent.Remove(seq);
                return true;
            default:
                return false;
        }
    }

    private void RecoverInterruptedCommands()
    {
        // Started but no result: the bridge died while the lock was working. The door may or may not have opened;
        // it must not be tried again, so the command is reported as failed with that explanation.
        foreach (var commandId in _commands.Where(c => c.Value.Result is null).Select(c => c.Key).ToList())
        {
            _logger.LogWarning("Command {CommandId} was interrupted by a restart while opening; reporting it as failed.", commandId);
            RecordCommandResult(new CommandResultReport(commandId, BridgeProtocol.Outcomes.Failed, InterruptedDetail));
        }
    }

    private void Append(JournalLine line, bool toDisk)
    {
        ThrowIfDisposed();
        _file.Write(Serialize(line));
        _file.Flush(flushToDisk: toDisk);
        _linesInFile++;
    }

    private void CompactIfWorthIt()
    {
        var liveLines = _unsent.Count + _commands.Count;
        if (_linesInFile >= _settings.CompactAfterLines && _linesInFile > 2 * liveLines)
        {
            try
            {
                Compact();
            }
            catch (IOException ex)
            {
                // The journal stays valid, only larger; the next acknowledgement tries again.
                _logger.LogWarning(ex, "Journal {Path} could not be compacted.", _path);
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static class LineTypes
    {
        public const string Door = "door";
        // Added after the first release: older files simply have no such lines; an older bridge skips them as unreadable.
        public const string OldDocument = "oldDocument";
        public const string Result = "result";
        public const string Started = "started";
        public const string Executed = "executed";
        public const string Sent = "sent";
        public const string Rejected = "rejected";
    }

    private sealed record ExecutedCommand(DateTimeOffset At, CommandResultReport? Result);

    private sealed record JournalLine
    {
        public required string Type { get; init; }

        public long? Seq { get; init; }

        public Guid? CommandId { get; init; }

        public DateTimeOffset? At { get; init; }

        public CommandResultReport? Result { get; init; }

        public DoorReport? Door { get; init; }

        public OldDocumentReport? OldDocument { get; init; }

        public string? Reason { get; init; }
    }
}

/// <summary>One queued message: exactly one of <see cref="Result"/>, <see cref="Door"/> and <see cref="OldDocument"/> is set.</summary>
internal sealed record JournalEntry(long Sequence, CommandResultReport? Result, DoorReport? Door, OldDocumentReport? OldDocument);

internal enum CommandClaim
{
    New,
    InProgress,
    Completed,
}

internal sealed class BridgeJournalSettings
{
    /// <summary>Compaction is considered once the file has this many lines.</summary>
    public int CompactAfterLines { get; init; } = 1000;

    /// <summary>How long executed command ids are remembered (the protocol needs at least a day).</summary>
    public TimeSpan ExecutedRetention { get; init; } = TimeSpan.FromDays(7);
}
