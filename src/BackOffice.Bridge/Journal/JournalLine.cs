using System.Text.Json.Serialization;
using BackOffice.Bridge.Contracts;

namespace BackOffice.Bridge.Journal;

/// <summary>
/// One line of the journal file. The <c>type</c> discriminator and the property names are the file format of the
/// first release: a box upgraded in the field reads its old journal with these types unchanged.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DoorEntry), "door")]
// Added after the first release: older files simply have no such lines; an older bridge skips them as unreadable.
[JsonDerivedType(typeof(OldDocumentEntry), "oldDocument")]
[JsonDerivedType(typeof(ResultEntry), "result")]
[JsonDerivedType(typeof(CommandStartedLine), "started")]
[JsonDerivedType(typeof(CommandExecutedLine), "executed")]
[JsonDerivedType(typeof(EntrySentLine), "sent")]
[JsonDerivedType(typeof(EntryRejectedLine), "rejected")]
internal abstract record JournalLine;

/// <summary>
/// A message for the back office waiting in the outbox; the server deduplicates it by its id, so sending it again
/// is harmless. <see cref="Sequence"/> orders the queue.
/// </summary>
internal abstract record OutboxEntry([property: JsonPropertyName("seq"), JsonRequired, JsonPropertyOrder(-1)] long Sequence) : JournalLine
{
    /// <summary>The hub method that delivers it.</summary>
    [JsonIgnore]
    public abstract string HubMethod { get; }

    /// <summary>The hub method's argument.</summary>
    [JsonIgnore]
    public abstract object Payload { get; }

    /// <summary>For logs: what it is, without personal data.</summary>
    public abstract string Describe();
}

/// <summary>A command's result. <see cref="At"/> is when the command was executed (it ages out of the executed set from then).</summary>
internal sealed record ResultEntry(long Sequence, [property: JsonRequired] CommandResultReport Result, DateTimeOffset? At) : OutboxEntry(Sequence)
{
    [JsonIgnore]
    public override string HubMethod => BridgeProtocol.ServerMethods.ReportCommandResult;

    [JsonIgnore]
    public override object Payload => Result;

    public override string Describe() => $"result of command {Result.CommandId}";
}

internal sealed record DoorEntry(long Sequence, [property: JsonRequired] DoorReport Door) : OutboxEntry(Sequence)
{
    [JsonIgnore]
    public override string HubMethod => BridgeProtocol.ServerMethods.ReportDoor;

    [JsonIgnore]
    public override object Payload => Door;

    public override string Describe() => $"door event {Door.EventId}";
}

internal sealed record OldDocumentEntry(long Sequence, [property: JsonRequired] OldDocumentReport OldDocument) : OutboxEntry(Sequence)
{
    [JsonIgnore]
    public override string HubMethod => BridgeProtocol.ServerMethods.ReportOldDocument;

    [JsonIgnore]
    public override object Payload => OldDocument;

    // Never the number: it identifies a person.
    public override string Describe() => $"old document {OldDocument.EventId}";
}

/// <summary>Written before the lock is touched: after a crash the command counts as executed and is never run again.</summary>
internal sealed record CommandStartedLine([property: JsonRequired] Guid CommandId, DateTimeOffset? At) : JournalLine;

/// <summary>An executed command whose result was acknowledged, as compaction keeps it.</summary>
internal sealed record CommandExecutedLine([property: JsonRequired] Guid CommandId, DateTimeOffset? At, [property: JsonRequired] CommandResultReport Result) : JournalLine;

internal sealed record EntrySentLine([property: JsonPropertyName("seq"), JsonRequired] long Sequence) : JournalLine;

internal sealed record EntryRejectedLine([property: JsonPropertyName("seq"), JsonRequired] long Sequence, string? Reason) : JournalLine;
