namespace BackOffice.Bridge.Contracts;

/// <summary>
/// Server to bridge: open one compartment. Must not be executed at or after <see cref="ExpiresAt"/>.
/// <see cref="TraceParent"/> (optional, W3C Trace Context) names the back office's span that issued it, so the bridge
/// can continue the trace; null for a command resent from the store after a reconnect.
/// </summary>
public sealed record UnlockCommand(Guid CommandId, string Compartment, string Purpose, DateTimeOffset ExpiresAt, string? TraceParent = null);

/// <summary>Bridge to server, first call after every (re)connect.</summary>
public sealed record HelloRequest(string SoftwareVersion, IReadOnlyList<DoorStatus> Doors);

/// <summary>One door's state in <see cref="HelloRequest"/>.</summary>
public sealed record DoorStatus(string Compartment, string State);

/// <summary>The server's clock and the commands still valid that the bridge has not reported on.</summary>
public sealed record HelloResponse(DateTimeOffset ServerTime, IReadOnlyList<UnlockCommand> PendingCommands);

/// <summary>
/// How an unlock command ended. Reporting the same command twice changes nothing. <see cref="TraceParent"/> (optional,
/// W3C Trace Context) names the bridge's span that executed it (or the command's own traceparent), so the back office
/// records the result in the same trace.
/// </summary>
public sealed record CommandResultReport(Guid CommandId, string Outcome, string? Detail, string? TraceParent = null);

/// <summary>A door opened or closed. <see cref="EventId"/> is chosen by the bridge; the same id twice changes nothing.</summary>
public sealed record DoorReport(Guid EventId, string Compartment, string State, DateTimeOffset At);

/// <summary>Sent every few seconds; a box without one for the configured timeout counts as offline.</summary>
public sealed record HeartbeatReport(DateTimeOffset At, int ReturnBinFillPercent, IReadOnlyList<string> Faults);

/// <summary>
/// A citizen at the box's panel asks for their documents: the mobile number on file, the SMS PIN, and either the number
/// of the old ID just inserted into the destruction slot or the date of birth (yyyy-MM-dd). <see cref="RequestId"/> is
/// chosen by the panel; the same request again opens nothing twice.
/// </summary>
public sealed record PickupRequest(Guid RequestId, string Phone, string Pin, string? OldDocumentNumber, string? BirthDate);

/// <summary>
/// The answer for the panel. When granted, the server also sends <c>Unlock(Pickup)</c> for each compartment. A refusal
/// carries one generic text: the panel never learns which factor failed.
/// </summary>
public sealed record PickupResponse(bool Granted, IReadOnlyList<string> Compartments, string Message);

/// <summary>
/// What became of an old ID the destruction slot took in (the reader may not have read its number). The slot keeps it in
/// escrow until the pickup is decided, then drops it into the bin (<see cref="BridgeProtocol.Dispositions.Deposited"/>,
/// granted) or hands it back (<see cref="BridgeProtocol.Dispositions.HandedBack"/>, refused or not decided);
/// <see cref="RequestId"/> names that pickup request. Bridges of the first release send neither field and report at
/// insertion: the server counts such a report as deposited.
/// </summary>
public sealed record OldDocumentReport(Guid EventId, string? DocumentNumber, DateTimeOffset At, string? Disposition = null, Guid? RequestId = null);
