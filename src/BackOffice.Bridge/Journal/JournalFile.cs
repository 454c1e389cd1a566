using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace BackOffice.Bridge.Journal;

/// <summary>
/// The journal on disk: an append-only file of JSON lines (<see cref="JournalLine"/>), rewritten only by
/// <see cref="Rewrite"/>, which swaps a new file in by rename so a crash leaves either the old or the new one.
/// </summary>
/// <remarks>
/// Not thread-safe: <see cref="BridgeJournal"/> serializes access. The file is held without sharing (an exclusive lock
/// on Linux), so a second bridge on the same file fails instead of interleaving.
/// </remarks>
internal sealed partial class JournalFile : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A null where the format needs a value is a damaged line, not an entry with a hole.
        RespectNullableAnnotations = true,
        // Every line this bridge wrote starts with "type"; a hand-edited one need not.
        AllowOutOfOrderMetadataProperties = true,
    };

    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly string _path;
    private readonly ILogger _logger;
    private FileStream? _file;

    public JournalFile(string path, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _logger = logger;
        if (Path.GetDirectoryName(_path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>Lines currently in the file.</summary>
    public int LineCount { get; private set; }

    /// <summary>
    /// Reads every readable line (an unreadable one, typically the last one torn by a power cut, is logged and skipped)
    /// and then opens the file for appending. Call once, before <see cref="Append"/>.
    /// </summary>
    public IReadOnlyList<JournalLine> Open()
    {
        if (_file is not null)
        {
            throw new InvalidOperationException("The journal file is already open.");
        }
        var lines = new List<JournalLine>();
        var endsWithNewLine = true;
        var lineNumber = 0;
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
                if (TryParse(raw) is { } line)
                {
                    lines.Add(line);
                }
                else
                {
                    LogUnreadableLine(_logger, _path, lineNumber);
                }
            }
        }
        LineCount = lineNumber;
        _file = OpenForAppend(_path);
        if (!endsWithNewLine)
        {
            // Start the next line on a line of its own after a torn write.
            _file.Write(NewLine);
            _file.Flush(flushToDisk: true);
        }
        return lines;
    }

    /// <summary>Appends one line; <paramref name="toDisk"/> waits until it is on the disk, not only in the OS cache.</summary>
    public void Append(JournalLine line, bool toDisk)
    {
        var file = _file ?? throw new InvalidOperationException("The journal file is not open.");
        file.Write(Serialize(line));
        file.Flush(flushToDisk: toDisk);
        LineCount++;
    }

    /// <summary>Replaces the whole file with <paramref name="lines"/>.</summary>
    public void Rewrite(IReadOnlyList<JournalLine> lines)
    {
        var file = _file ?? throw new InvalidOperationException("The journal file is not open.");
        var temporary = _path + ".compact";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var line in lines)
            {
                stream.Write(Serialize(line));
            }
            stream.Flush(flushToDisk: true);
        }
        file.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _file = OpenForAppend(_path);
        LineCount = lines.Count;
    }

    public void Dispose() => _file?.Dispose();

    private static JournalLine? TryParse(string raw)
    {
        try
        {
            return JsonSerializer.Deserialize<JournalLine>(raw, JsonOptions);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // NotSupportedException: a type this version does not know (written by a newer bridge).
            return null;
        }
    }

    private static FileStream OpenForAppend(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);

    private static byte[] Serialize(JournalLine line) => [.. JsonSerializer.SerializeToUtf8Bytes(line, JsonOptions), .. NewLine];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal {Path}: line {Line} is unreadable and was skipped.")]
    private static partial void LogUnreadableLine(ILogger logger, string path, int line);
}
