using System.Diagnostics.CodeAnalysis;

namespace BackOffice.Bridge.Journal;

/// <summary>The entries not yet accepted by the back office, oldest (lowest sequence) first.</summary>
/// <remarks>Not thread-safe: <see cref="BridgeJournal"/> serializes access.</remarks>
internal sealed class OutboxQueue
{
    private readonly SortedDictionary<long, OutboxEntry> _entries = [];

    public int Count => _entries.Count;

    public IReadOnlyList<OutboxEntry> Entries => [.. _entries.Values];

    /// <summary>The sequence the next new entry gets: after everything ever queued, also what was sent since.</summary>
    public long NextSequence { get; private set; } = 1;

    public void Add(OutboxEntry entry)
    {
        _entries[entry.Sequence] = entry;
        NextSequence = Math.Max(NextSequence, entry.Sequence + 1);
    }

    public bool Remove(long sequence) => _entries.Remove(sequence);

    public bool TryPeek([NotNullWhen(true)] out OutboxEntry? entry)
    {
        entry = _entries.Count > 0 ? _entries.First().Value : null;
        return entry is not null;
    }

    public bool ContainsResultOf(Guid commandId) => _entries.Values.Any(e => e is ResultEntry r && r.Result.CommandId == commandId);
}
