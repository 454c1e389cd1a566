using BackOffice.Bridge.Contracts;
using BackOffice.Bridge.Journal;
using BackOffice.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackOffice.Bridge.Tests;

public sealed class BridgeJournalTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = TestSupport.Clock();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Entries_NewInstanceOnSameFile_ComeBackInOrder()
    {
        var path = _directory.File("queue.jsonl");
        var door = new DoorReport(Guid.NewGuid(), "01-01", BridgeProtocol.DoorStates.Open, TestSupport.Start);
        var result = new CommandResultReport(Guid.NewGuid(), BridgeProtocol.Outcomes.Opened, null);
        var laterDoor = new DoorReport(Guid.NewGuid(), "01-01", BridgeProtocol.DoorStates.Closed, TestSupport.Start.AddSeconds(5));
        using (var journal = Open(path))
        {
            journal.EnqueueDoor(door);
            journal.RecordCommandResult(result);
            journal.EnqueueDoor(laterDoor);
        }

        using var reopened = Open(path);
        var unsent = reopened.GetUnsent();

        Assert.Equal(3, unsent.Count);
        Assert.Equal(door, Assert.IsType<DoorEntry>(unsent[0]).Door);
        Assert.Equal(result, Assert.IsType<ResultEntry>(unsent[1]).Result);
        Assert.Equal(laterDoor, Assert.IsType<DoorEntry>(unsent[2]).Door);
        Assert.True(unsent[0].Sequence < unsent[1].Sequence && unsent[1].Sequence < unsent[2].Sequence);
    }

    [Fact]
    public void EnqueueOldDocument_OnAFileWrittenBeforeOldDocumentsExisted_LoadsItAndKeepsTheOrderThroughCompaction()
    {
        var path = _directory.File("queue.jsonl");
        var doorId = Guid.NewGuid();
        var commandId = Guid.NewGuid();
        // Lines exactly as the bridge wrote them before the old-document entry kind was added.
        File.WriteAllText(path,
            $$$"""
            {"type":"door","seq":1,"door":{"eventId":"{{{doorId}}}","compartment":"01-01","state":"Open","at":"2026-03-02T08:00:00+00:00"}}
            {"type":"result","seq":2,"at":"2026-03-02T08:00:01+00:00","result":{"commandId":"{{{commandId}}}","outcome":"Opened"}}

            """);
        var read = new OldDocumentReport(Guid.NewGuid(), "L01X00T47", TestSupport.Start);
        var unread = new OldDocumentReport(Guid.NewGuid(), null, TestSupport.Start.AddSeconds(1));
        using (var journal = Open(path))
        {
            Assert.Equal(2, journal.UnsentCount);
            journal.EnqueueOldDocument(read);
            journal.EnqueueOldDocument(unread);
        }
        using (var journal = Open(path))
        {
            journal.Compact();
        }

        using var reopened = Open(path);

        var unsent = reopened.GetUnsent();
        Assert.Equal(4, unsent.Count);
        Assert.Equal(doorId, Assert.IsType<DoorEntry>(unsent[0]).Door.EventId);
        Assert.Equal(commandId, Assert.IsType<ResultEntry>(unsent[1]).Result.CommandId);
        Assert.Equal(read, Assert.IsType<OldDocumentEntry>(unsent[2]).OldDocument);
        Assert.Equal(unread, Assert.IsType<OldDocumentEntry>(unsent[3]).OldDocument);
        Assert.Equal([1L, 2L, 3L, 4L], unsent.Select(e => e.Sequence));
    }

    [Fact]
    public void MarkSent_NewInstanceOnSameFile_DoesNotReturnSentEntries()
    {
        var path = _directory.File("queue.jsonl");
        var first = new DoorReport(Guid.NewGuid(), "01-01", BridgeProtocol.DoorStates.Open, TestSupport.Start);
        var second = new DoorReport(Guid.NewGuid(), "01-02", BridgeProtocol.DoorStates.Open, TestSupport.Start);
        using (var journal = Open(path))
        {
            var sent = journal.EnqueueDoor(first);
            journal.EnqueueDoor(second);
            journal.MarkSent(sent.Sequence);
        }

        using var reopened = Open(path);

        var entry = Assert.Single(reopened.GetUnsent());
        Assert.Equal(second, Assert.IsType<DoorEntry>(entry).Door);
    }

    [Fact]
    public void MarkRejected_Entry_IsDroppedFromTheQueue()
    {
        var path = _directory.File("queue.jsonl");
        using (var journal = Open(path))
        {
            var rejected = journal.EnqueueDoor(new DoorReport(Guid.NewGuid(), "99-99", BridgeProtocol.DoorStates.Open, TestSupport.Start));
            journal.MarkRejected(rejected.Sequence, "Unknown compartment '99-99'.");
            Assert.Empty(journal.GetUnsent());
        }

        using var reopened = Open(path);

        Assert.Empty(reopened.GetUnsent());
    }

    [Fact]
    public void RecordCommandResult_NewInstanceAfterSending_RemembersTheCommandAndItsResult()
    {
        var path = _directory.File("queue.jsonl");
        var result = new CommandResultReport(Guid.NewGuid(), BridgeProtocol.Outcomes.Opened, null);
        using (var journal = Open(path))
        {
            var entry = journal.RecordCommandResult(result);
            journal.MarkSent(entry.Sequence);
        }

        using var reopened = Open(path);

        Assert.Equal(CommandClaim.Completed, reopened.ClaimCommand(result.CommandId, out var recorded));
        Assert.Equal(result, recorded);
        Assert.Equal(CommandClaim.New, reopened.ClaimCommand(Guid.NewGuid(), out _));
    }

    [Fact]
    public void ClaimCommand_Twice_SecondClaimSeesItInProgress()
    {
        using var journal = Open(_directory.File("queue.jsonl"));
        var id = Guid.NewGuid();

        Assert.Equal(CommandClaim.New, journal.ClaimCommand(id, out _));
        Assert.Equal(CommandClaim.InProgress, journal.ClaimCommand(id, out _));
    }

    [Fact]
    public void Load_StartedWithoutResult_ReportsTheCommandAsFailedAndNeverAsNew()
    {
        var path = _directory.File("queue.jsonl");
        var id = Guid.NewGuid();
        using (var journal = Open(path))
        {
            journal.ClaimCommand(id, out _);
            journal.RecordCommandStarted(id);
            // Killed here: the lock was working, no result was recorded.
        }

        using var reopened = Open(path);

        var entry = Assert.Single(reopened.GetUnsent());
        Assert.Equal(new CommandResultReport(id, BridgeProtocol.Outcomes.Failed, BridgeJournal.InterruptedDetail), Assert.IsType<ResultEntry>(entry).Result);
        Assert.Equal(CommandClaim.Completed, reopened.ClaimCommand(id, out _));
    }

    [Fact]
    public void Load_TornLastLine_SkipsItAndKeepsAppendingOnANewLine()
    {
        var path = _directory.File("queue.jsonl");
        var kept = new DoorReport(Guid.NewGuid(), "01-01", BridgeProtocol.DoorStates.Open, TestSupport.Start);
        using (var journal = Open(path))
        {
            journal.EnqueueDoor(kept);
        }
        File.AppendAllText(path, "{\"type\":\"door\",\"seq\":2,\"door\":{\"eventId\":\"");
        var added = new DoorReport(Guid.NewGuid(), "01-02", BridgeProtocol.DoorStates.Open, TestSupport.Start);
        using (var journal = Open(path))
        {
            journal.EnqueueDoor(added);
        }

        using var reopened = Open(path);

        Assert.Equal([kept, added], reopened.GetUnsent().Select(e => Assert.IsType<DoorEntry>(e).Door));
    }

    [Fact]
    public void Compact_WithSentAndUnsentEntries_KeepsUnsentEntriesAndExecutedCommands()
    {
        var path = _directory.File("queue.jsonl");
        var executed = new CommandResultReport(Guid.NewGuid(), BridgeProtocol.Outcomes.Opened, null);
        var unsentDoor = new DoorReport(Guid.NewGuid(), "02-01", BridgeProtocol.DoorStates.Closed, TestSupport.Start);
        var unsentResult = new CommandResultReport(Guid.NewGuid(), BridgeProtocol.Outcomes.Failed, "Tür klemmt");
        using (var journal = Open(path))
        {
            journal.MarkSent(journal.RecordCommandResult(executed).Sequence);
            for (var i = 0; i < 20; i++)
            {
                journal.MarkSent(journal.EnqueueDoor(new DoorReport(Guid.NewGuid(), "01-01", BridgeProtocol.DoorStates.Open, TestSupport.Start)).Sequence);
            }
            journal.EnqueueDoor(unsentDoor);
            journal.RecordCommandResult(unsentResult);
            var before = journal.LinesInFile;

            journal.Compact();

            Assert.True(journal.LinesInFile < before / 5, $"{journal.LinesInFile} lines after compaction, {before} before");
        }

        using var reopened = Open(path);

        var unsent = reopened.GetUnsent();
        Assert.Equal(2, unsent.Count);
        Assert.Equal(unsentDoor, Assert.IsType<DoorEntry>(unsent[0]).Door);
        Assert.Equal(unsentResult, Assert.IsType<ResultEntry>(unsent[1]).Result);
        Assert.Equal(CommandClaim.Completed, reopened.ClaimCommand(executed.CommandId, out var recorded));
        Assert.Equal(executed, recorded);
    }

    [Fact]
    public void Open_AFileInTheFirstReleasesFormat_RestoresQueueAndExecutedCommandsAndKeepsWritingThatFormat()
    {
        var path = _directory.File("queue.jsonl");
        Guid sentDoor = Guid.NewGuid(), refusedDoor = Guid.NewGuid(), oldDocument = Guid.NewGuid();
        Guid acknowledged = Guid.NewGuid(), unacknowledged = Guid.NewGuid(), interrupted = Guid.NewGuid();
        // Every kind of line exactly as the bridge wrote it before the journal was split into polymorphic records.
        File.WriteAllText(path,
            $$$"""
            {"type":"door","seq":1,"door":{"eventId":"{{{sentDoor}}}","compartment":"01-01","state":"Open","at":"2026-03-02T07:59:00+00:00"}}
            {"type":"executed","commandId":"{{{acknowledged}}}","at":"2026-03-02T07:58:00+00:00","result":{"commandId":"{{{acknowledged}}}","outcome":"Opened"}}
            {"type":"started","commandId":"{{{unacknowledged}}}","at":"2026-03-02T07:59:30+00:00"}
            {"type":"result","seq":2,"at":"2026-03-02T07:59:31+00:00","result":{"commandId":"{{{unacknowledged}}}","outcome":"Failed","detail":"Tür klemmt"}}
            {"type":"door","seq":3,"door":{"eventId":"{{{refusedDoor}}}","compartment":"99-99","state":"Open","at":"2026-03-02T07:59:40+00:00"}}
            {"type":"rejected","seq":3,"reason":"Unknown compartment '99-99'."}
            {"type":"oldDocument","seq":4,"oldDocument":{"eventId":"{{{oldDocument}}}","documentNumber":"L01X00T47","at":"2026-03-02T07:59:50+00:00"}}
            {"type":"started","commandId":"{{{interrupted}}}","at":"2026-03-02T07:59:55+00:00"}
            {"type":"sent","seq":1}

            """);

        using (var journal = Open(path))
        {
            var unsent = journal.GetUnsent();
            Assert.Equal([2L, 4L, 5L], unsent.Select(e => e.Sequence));
            Assert.Equal(new CommandResultReport(unacknowledged, BridgeProtocol.Outcomes.Failed, "Tür klemmt"), Assert.IsType<ResultEntry>(unsent[0]).Result);
            Assert.Equal(new OldDocumentReport(oldDocument, "L01X00T47", TestSupport.Start.AddSeconds(-10)), Assert.IsType<OldDocumentEntry>(unsent[1]).OldDocument);
            Assert.Equal(new CommandResultReport(interrupted, BridgeProtocol.Outcomes.Failed, BridgeJournal.InterruptedDetail), Assert.IsType<ResultEntry>(unsent[2]).Result);
            Assert.Equal(CommandClaim.Completed, journal.ClaimCommand(acknowledged, out var recorded));
            Assert.Equal(new CommandResultReport(acknowledged, BridgeProtocol.Outcomes.Opened, null), recorded);
            Assert.Equal(CommandClaim.Completed, journal.ClaimCommand(unacknowledged, out _));
            Assert.Equal(6L, journal.EnqueueDoor(new DoorReport(Guid.NewGuid(), "01-02", BridgeProtocol.DoorStates.Closed, TestSupport.Start)).Sequence);
        }

        // An older bridge (after a downgrade) reads what this one appended.
        Assert.StartsWith("""{"type":"door","seq":6,"door":{"eventId":""", File.ReadLines(path).Last(l => l.Length > 0), StringComparison.Ordinal);
        using var reopened = Open(path);
        Assert.Equal([2L, 4L, 5L, 6L], reopened.GetUnsent().Select(e => e.Sequence));
    }

    [Fact]
    public void MarkSent_ManyEntries_CompactsTheFileByItself()
    {
        var path = _directory.File("queue.jsonl");
        using (var journal = new BridgeJournal(path, _clock, NullLogger.Instance, new BridgeJournalOptions { CompactAfterLines = 50 }))
        {
            for (var i = 0; i < 200; i++)
            {
                journal.MarkSent(journal.EnqueueDoor(new DoorReport(Guid.NewGuid(), "01-01", BridgeProtocol.DoorStates.Open, TestSupport.Start)).Sequence);
            }

            Assert.True(journal.LinesInFile < 60, $"{journal.LinesInFile} lines");
        }

        Assert.True(File.ReadAllLines(path).Length < 60);
    }

    [Fact]
    public void Compact_ExecutedCommandOlderThanRetention_IsForgottenButAYoungOneIsKept()
    {
        var path = _directory.File("queue.jsonl");
        var settings = new BridgeJournalOptions { ExecutedRetention = TimeSpan.FromDays(1) };
        var old = new CommandResultReport(Guid.NewGuid(), BridgeProtocol.Outcomes.Opened, null);
        var young = new CommandResultReport(Guid.NewGuid(), BridgeProtocol.Outcomes.Opened, null);
        using var journal = new BridgeJournal(path, _clock, NullLogger.Instance, settings);
        journal.MarkSent(journal.RecordCommandResult(old).Sequence);
        _clock.Advance(TimeSpan.FromHours(20));
        journal.MarkSent(journal.RecordCommandResult(young).Sequence);
        _clock.Advance(TimeSpan.FromHours(5));

        journal.Compact();

        Assert.Equal(CommandClaim.New, journal.ClaimCommand(old.CommandId, out _));
        Assert.Equal(CommandClaim.Completed, journal.ClaimCommand(young.CommandId, out _));
    }

    [Fact]
    public void Open_SecondInstanceOnTheSameFile_Fails()
    {
        var path = _directory.File("queue.jsonl");
        using var journal = Open(path);

        Assert.ThrowsAny<IOException>(() => Open(path));
    }

    private BridgeJournal Open(string path) => new(path, _clock, NullLogger.Instance);
}
