using BackOffice.Domain.Boxes;

namespace BackOffice.Domain.Documents;

/// <summary>
/// A finished passport or ID card waiting for its holder: registered at the counter, loaded into a compartment,
/// picked up at the box. Holds personal data (name, birth date, mobile number): show it only where needed.
/// </summary>
/// <remarks>
/// Its lifecycle changes only through the methods below; each refuses a step its state does not allow
/// (<see cref="DocumentTransitionException"/>) and returns the timeline line for the caller to record with the change.
/// Arrived → Loading → ReadyForPickup → PickupOpening → PickedUp, or ReadyForPickup → Retrieving → BackAtCounter;
/// an opening that did not happen goes back a step (the box may still say it did, and the step resumes).
/// </remarks>
public sealed class Document
{
    public const int NameMaxLength = 100;
    public const int ReferenceMaxLength = 50;
    public const int BlockedReasonMaxLength = 200;

    // For EF Core; code creates documents with Create.
    private Document()
    {
    }

    public Guid Id { get; private set; }

    public DocumentType Type { get; private set; }

    /// <summary>9 characters of the German document alphabet, e.g. "C01X00T47" is invalid, "CF1G2H3J4" is valid.</summary>
    public string DocumentNumber { get; private set; } = "";

    public string HolderName { get; private set; } = "";

    public DateOnly DateOfBirth { get; private set; }

    /// <summary>Mobile number in E.164 (+4917012345678). Stored encrypted.</summary>
    public string MobileNumber { get; private set; } = "";

    /// <summary>Keyed hash of <see cref="MobileNumber"/> (set when saved), to find a holder's documents by number.</summary>
    public string? MobileNumberHash { get; private set; }

    /// <summary>
    /// Set when a clerk joined this document to another document's household (with a reason, audited): that household's
    /// key. Null: the household is everyone registered with the same mobile number (<see cref="MobileNumberHash"/>).
    /// </summary>
    public string? HouseholdId { get; private set; }

    /// <summary>Numbers of the holder's previous documents, checked at pickup against the one inserted into the slot.</summary>
    public List<string> OldDocumentNumbers { get; private set; } = [];

    /// <summary>The application's reference in the registration software; unique, makes registration idempotent.</summary>
    public string ApplicationReference { get; private set; } = "";

    /// <summary>The box the citizen chose when applying.</summary>
    public Guid BoxId { get; private set; }

    /// <summary>The holder needs a compartment reachable from a wheelchair.</summary>
    public bool NeedsAccessibleCompartment { get; private set; }

    public DocumentState State { get; private set; } = DocumentState.Arrived;

    public Guid? CompartmentId { get; private set; }

    /// <summary>The loading that put (or is putting) it into its compartment.</summary>
    public Guid? LoadId { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public DateTimeOffset? ReadyAt { get; private set; }

    /// <summary>Last day of pickup (box's local date).</summary>
    public DateOnly? PickupDeadline { get; private set; }

    /// <summary>
    /// Salted slow hash of the pickup PIN; the PIN itself exists only in the SMS. Every document of one compartment load
    /// carries the same hash: one household, one PIN, one pickup.
    /// </summary>
    public string? PinHash { get; private set; }

    public DateTimeOffset? PinIssuedAt { get; private set; }

    /// <summary>Refused pickup attempts since the last success or since a clerk lifted the lock.</summary>
    public int FailedPickupAttempts { get; private set; }

    /// <summary>Set when too many attempts failed: the box will not release it until a clerk acts.</summary>
    public DateTimeOffset? PickupLockedAt { get; private set; }

    /// <summary>Set by a clerk for legal reasons (reported lost, seized, handover refused): the box will not release it.</summary>
    public string? BlockedReason { get; private set; }

    public DateTimeOffset? PickedUpAt { get; private set; }

    /// <summary>When the reminder SMS before the deadline was queued; at most one per loading.</summary>
    public DateTimeOffset? ReminderSentAt { get; private set; }

    /// <summary>When a clerk took it back out of the box (overdue or on request).</summary>
    public DateTimeOffset? ReturnedToCounterAt { get; private set; }

    /// <summary>
    /// When the retention job erased the holder's personal data (name, birth date, mobile number, document numbers);
    /// what is left is the anonymised record for statistics.
    /// </summary>
    public DateTimeOffset? PersonalDataErasedAt { get; private set; }

    /// <summary>
    /// The person the holder authorised to collect it (Vollmacht; for a minor, e.g. a parent): name, stored encrypted.
    /// Null without one. While set, the PIN goes to <see cref="AuthorizedMobileNumber"/> and that person's own birth date
    /// is the third factor at the box (the holder's old ID still works).
    /// </summary>
    public string? AuthorizedName { get; private set; }

    /// <summary>The authorised person's birth date (stored encrypted).</summary>
    public DateOnly? AuthorizedDateOfBirth { get; private set; }

    /// <summary>The authorised person's mobile number in E.164 (stored encrypted); the PIN goes there.</summary>
    public string? AuthorizedMobileNumber { get; private set; }

    /// <summary>Keyed hash of <see cref="AuthorizedMobileNumber"/> (set when saved): the box finds the document by it.</summary>
    public string? AuthorizedMobileNumberHash { get; private set; }

    /// <summary>What the clerk saw that authorises the person (a fixed choice, never free text).</summary>
    public AuthorizationProof? AuthorizationProof { get; private set; }

    /// <summary>When the authorisation was recorded.</summary>
    public DateTimeOffset? AuthorizedAt { get; private set; }

    /// <summary>The last pickup at the box was (or is being) made by the authorised person rather than the holder.</summary>
    public bool PickedUpByAuthorizedPerson { get; private set; }

    /// <summary>How often a clerk extended <see cref="PickupDeadline"/> (limited by the office's setting).</summary>
    public int DeadlineExtensions { get; private set; }

    /// <summary>The mobile number the PIN goes to: the authorised person's while there is one, else the holder's.</summary>
    public string PinRecipient => AuthorizedMobileNumber ?? MobileNumber;

    public uint Version { get; private set; }

    /// <summary>
    /// A document from validated registration data (see DocumentValidator), not registered yet: an identical one may
    /// exist already. <see cref="Register"/> gives it its id.
    /// </summary>
    public static Document Create(
        DocumentType type, string documentNumber, string holderName, DateOnly dateOfBirth, string mobileNumber,
        IEnumerable<string> oldDocumentNumbers, string applicationReference, Guid boxId, bool needsAccessibleCompartment,
        (string Name, DateOnly DateOfBirth, string MobileNumber)? authorizedPerson = null)
    {
        ArgumentNullException.ThrowIfNull(oldDocumentNumbers);
        return new Document
        {
            // Sent with the application (e.g. a parent for a minor): the authorisation was checked when applying.
            AuthorizedName = authorizedPerson?.Name,
            AuthorizedDateOfBirth = authorizedPerson?.DateOfBirth,
            AuthorizedMobileNumber = authorizedPerson?.MobileNumber,
            AuthorizationProof = authorizedPerson is null ? null : Documents.AuthorizationProof.RecordedWithApplication,
            Type = type,
            DocumentNumber = documentNumber,
            HolderName = holderName,
            DateOfBirth = dateOfBirth,
            MobileNumber = mobileNumber,
            OldDocumentNumbers = oldDocumentNumbers.ToList(),
            ApplicationReference = applicationReference,
            BoxId = boxId,
            NeedsAccessibleCompartment = needsAccessibleCompartment,
        };
    }

    /// <summary>Registers a created document: it arrived at the counter. Once only.</summary>
    public DocumentEvent Register(Guid id, DateTimeOffset at, string actor, string note)
    {
        if (Id != Guid.Empty)
        {
            throw new DocumentTransitionException(State, DocumentTransition.Register, "it is registered already");
        }
        ArgumentOutOfRangeException.ThrowIfEqual(id, Guid.Empty);
        Id = id;
        RegisteredAt = at;
        AuthorizedAt = AuthorizedName is null ? null : at;
        return Timeline(DocumentEventKind.Registered, at, actor, note);
    }

    /// <summary>A clerk starts putting it into <paramref name="compartment"/> (reserved for <paramref name="load"/>).</summary>
    public DocumentEvent StartLoading(CompartmentLoad load, Compartment compartment, DateTimeOffset at, string actor, string note)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(compartment);
        Require(DocumentTransition.StartLoading, DocumentState.Arrived);
        if (compartment.BoxId != BoxId || load.CompartmentId != compartment.Id)
        {
            throw new ArgumentException("The loading's compartment must be a compartment of the document's box.", nameof(compartment));
        }
        State = DocumentState.Loading;
        LoadId = load.Id;
        CompartmentId = compartment.Id;
        return Timeline(DocumentEventKind.LoadStarted, at, actor, note, compartment.Label);
    }

    /// <summary>The door closed with it inside: ready for pickup until <paramref name="deadline"/>, with the compartment's PIN.</summary>
    public DocumentEvent CompleteLoading(
        DateOnly deadline, string pinHash, DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        ArgumentException.ThrowIfNullOrEmpty(pinHash);
        Require(DocumentTransition.CompleteLoading, DocumentState.Loading);
        State = DocumentState.ReadyForPickup;
        ReadyAt = at;
        PickupDeadline = deadline;
        PinHash = pinHash;
        PinIssuedAt = at;
        return Timeline(DocumentEventKind.Loaded, at, actor, note, compartmentLabel);
    }

    /// <summary>The loading did not happen (door did not open, box silent, cancelled): back at the counter, in no compartment.</summary>
    public DocumentEvent AbortLoading(DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        Require(DocumentTransition.AbortLoading, DocumentState.Loading);
        State = DocumentState.Arrived;
        LoadId = null;
        CompartmentId = null;
        return Timeline(DocumentEventKind.LoadAborted, at, actor, note, compartmentLabel);
    }

    /// <summary>
    /// The citizen passed the checks at the box: the compartment opens. Never while locked or blocked.
    /// <paramref name="byAuthorizedPerson"/>: the authorised person's number and birth date passed, not the holder's.
    /// </summary>
    public DocumentEvent StartPickup(DateTimeOffset at, string actor, string note, bool byAuthorizedPerson = false)
    {
        Require(DocumentTransition.StartPickup, DocumentState.ReadyForPickup);
        if (PickupLockedAt is not null)
        {
            throw new DocumentTransitionException(State, DocumentTransition.StartPickup, "it is locked after failed attempts");
        }
        if (BlockedReason is not null)
        {
            throw new DocumentTransitionException(State, DocumentTransition.StartPickup, "it is blocked");
        }
        if (byAuthorizedPerson && AuthorizedMobileNumber is null)
        {
            throw new DocumentTransitionException(State, DocumentTransition.StartPickup, "nobody is authorised");
        }
        State = DocumentState.PickupOpening;
        FailedPickupAttempts = 0;
        PickedUpByAuthorizedPerson = byAuthorizedPerson;
        return Timeline(DocumentEventKind.PickupStarted, at, actor, note);
    }

    /// <summary>
    /// The box says the door did open for a pickup the back office had given up (<see cref="RevertPickup"/>): the citizen
    /// is at the open door, whatever happened since. The box's word wins.
    /// </summary>
    public DocumentEvent ResumePickup(DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        Require(DocumentTransition.ResumePickup, DocumentState.ReadyForPickup);
        State = DocumentState.PickupOpening;
        return Timeline(DocumentEventKind.PickupStarted, at, actor, note, compartmentLabel);
    }

    /// <summary>The compartment did not open for the pickup, or the citizen did not take it: ready again.</summary>
    public DocumentEvent RevertPickup(DateTimeOffset at, string actor, string note, string? compartmentLabel)
    {
        Require(DocumentTransition.RevertPickup, DocumentState.PickupOpening);
        State = DocumentState.ReadyForPickup;
        return Timeline(DocumentEventKind.PickupNotOpened, at, actor, note, compartmentLabel);
    }

    /// <summary>The citizen took it and the door closed (or a person confirmed it).</summary>
    public DocumentEvent HandOver(DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        Require(DocumentTransition.HandOver, DocumentState.PickupOpening);
        State = DocumentState.PickedUp;
        PickedUpAt = at;
        return Timeline(DocumentEventKind.PickedUp, at, actor, note, compartmentLabel);
    }

    /// <summary>
    /// A clerk takes it back out of its compartment (overdue, or on request), blocked or not; also when the box says it
    /// did open for a retrieval the back office had given up.
    /// </summary>
    public DocumentEvent StartRetrieval(DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        Require(DocumentTransition.StartRetrieval, DocumentState.ReadyForPickup);
        State = DocumentState.Retrieving;
        return Timeline(DocumentEventKind.RetrievalStarted, at, actor, note, compartmentLabel);
    }

    /// <summary>The compartment did not open for the retrieval, or the documents stayed inside: ready for pickup again.</summary>
    public DocumentEvent RevertRetrieval(DateTimeOffset at, string actor, string note, string? compartmentLabel)
    {
        Require(DocumentTransition.RevertRetrieval, DocumentState.Retrieving);
        State = DocumentState.ReadyForPickup;
        return Timeline(DocumentEventKind.RetrievalAborted, at, actor, note, compartmentLabel);
    }

    /// <summary>Back at the counter: the PIN is void, the citizen picks it up in person.</summary>
    public DocumentEvent CompleteRetrieval(DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        Require(DocumentTransition.CompleteRetrieval, DocumentState.Retrieving);
        State = DocumentState.BackAtCounter;
        ReturnedToCounterAt = at;
        PinHash = null;
        return Timeline(DocumentEventKind.Retrieved, at, actor, note, compartmentLabel);
    }

    /// <summary>
    /// An inventory found its compartment without it and a clerk reported it missing: the PIN is void, nobody can pick
    /// it up, and its compartment no longer counts it.
    /// </summary>
    public DocumentEvent ReportMissing(DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        Require(DocumentTransition.ReportMissing, DocumentState.ReadyForPickup);
        State = DocumentState.Missing;
        PinHash = null;
        return Timeline(DocumentEventKind.ReportedMissing, at, actor, note, compartmentLabel);
    }

    /// <summary>
    /// After an inventory a clerk takes it back to the counter (it was not where it belonged): the PIN is void, the
    /// citizen picks it up in person, as after a retrieval.
    /// </summary>
    public DocumentEvent ReturnToCounter(DateTimeOffset at, string actor, string note, string compartmentLabel)
    {
        Require(DocumentTransition.ReturnToCounter, DocumentState.ReadyForPickup);
        State = DocumentState.BackAtCounter;
        ReturnedToCounterAt = at;
        PinHash = null;
        return Timeline(DocumentEventKind.ReturnedToCounter, at, actor, note, compartmentLabel);
    }

    /// <summary>
    /// A document reported missing was found after all (<paramref name="note"/> says where and why): back at the counter,
    /// its PIN stays void, the citizen picks it up in person, as after a retrieval.
    /// </summary>
    public DocumentEvent ReportFound(DateTimeOffset at, string actor, string note)
    {
        Require(DocumentTransition.ReportFound, DocumentState.Missing);
        State = DocumentState.BackAtCounter;
        ReturnedToCounterAt = at;
        PinHash = null;
        return Timeline(DocumentEventKind.FoundAgain, at, actor, note);
    }

    /// <summary>
    /// Counts a refused pickup attempt; the <paramref name="maxAttempts"/>th locks it until a clerk lifts the lock. The
    /// timeline line when it locked it now, otherwise null.
    /// </summary>
    public DocumentEvent? RecordFailedAttempt(int maxAttempts, DateTimeOffset at, string actor, string lockedNote)
    {
        Require(DocumentTransition.RecordFailedAttempt, DocumentState.ReadyForPickup);
        FailedPickupAttempts++;
        if (FailedPickupAttempts < maxAttempts || PickupLockedAt is not null)
        {
            return null;
        }
        PickupLockedAt = at;
        return Timeline(DocumentEventKind.LockedAfterFailures, at, actor, lockedNote);
    }

    /// <summary>A new PIN (the compartment's, after a clerk checked the citizen's identity): the old one stops working, a lock ends.</summary>
    public DocumentEvent ReissuePin(string pinHash, DateTimeOffset at, string actor, string note)
    {
        ArgumentException.ThrowIfNullOrEmpty(pinHash);
        Require(DocumentTransition.ReissuePin, DocumentState.ReadyForPickup);
        PinHash = pinHash;
        PinIssuedAt = at;
        FailedPickupAttempts = 0;
        PickupLockedAt = null;
        return Timeline(DocumentEventKind.PinReissued, at, actor, note);
    }

    /// <summary>
    /// A clerk changes the mobile number (E.164, validated by the caller) after checking the holder's identity: the next
    /// PIN goes there. Only while the document is still to be handed over and its personal data is kept.
    /// </summary>
    public DocumentEvent? ChangeMobileNumber(string mobileNumber, DateTimeOffset at, string actor, string note)
    {
        ArgumentException.ThrowIfNullOrEmpty(mobileNumber);
        if (State is not (DocumentState.Arrived or DocumentState.ReadyForPickup or DocumentState.BackAtCounter) || PersonalDataErasedAt is not null)
        {
            return null;
        }
        MobileNumber = mobileNumber;
        return Timeline(DocumentEventKind.Note, at, actor, note);
    }

    /// <summary>
    /// A clerk records the person the holder authorised to collect it, after seeing the signed authorisation
    /// (<paramref name="proof"/>): before loading (the PIN SMS at loading goes to that person), or while it is ready for
    /// pickup with <paramref name="pinHash"/>, a new PIN for that person (the holder's PIN stops working). One at a time:
    /// revoke the current one first.
    /// </summary>
    public DocumentEvent RecordAuthorization(
        string name, DateOnly dateOfBirth, string mobileNumber, AuthorizationProof proof, string? pinHash,
        DateTimeOffset at, string actor, string note)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, NameMaxLength, nameof(name));
        ArgumentException.ThrowIfNullOrEmpty(mobileNumber);
        Require(DocumentTransition.RecordAuthorization, DocumentState.Arrived, DocumentState.ReadyForPickup);
        if (AuthorizedName is not null)
        {
            throw new DocumentTransitionException(State, DocumentTransition.RecordAuthorization, "a person is authorised already");
        }
        if (State == DocumentState.ReadyForPickup)
        {
            ArgumentException.ThrowIfNullOrEmpty(pinHash);
            PinHash = pinHash;
            PinIssuedAt = at;
        }
        AuthorizedName = name;
        AuthorizedDateOfBirth = dateOfBirth;
        AuthorizedMobileNumber = mobileNumber;
        AuthorizationProof = proof;
        AuthorizedAt = at;
        return Timeline(DocumentEventKind.AuthorizationRecorded, at, actor, note);
    }

    /// <summary>
    /// A clerk revokes the authorisation: while it is ready for pickup with <paramref name="pinHash"/>, a new PIN for the
    /// holder (the authorised person's stops working); at the counter nothing else changes.
    /// </summary>
    public DocumentEvent RevokeAuthorization(string? pinHash, DateTimeOffset at, string actor, string note)
    {
        Require(DocumentTransition.RevokeAuthorization, DocumentState.Arrived, DocumentState.ReadyForPickup, DocumentState.BackAtCounter);
        if (AuthorizedName is null)
        {
            throw new DocumentTransitionException(State, DocumentTransition.RevokeAuthorization, "nobody is authorised");
        }
        if (State == DocumentState.ReadyForPickup)
        {
            ArgumentException.ThrowIfNullOrEmpty(pinHash);
            PinHash = pinHash;
            PinIssuedAt = at;
        }
        ClearAuthorization();
        AuthorizationProof = null;
        return Timeline(DocumentEventKind.AuthorizationRevoked, at, actor, note);
    }

    /// <summary>
    /// A clerk extends the pickup deadline of a ready document by <paramref name="days"/> (1 to <paramref name="maxDays"/>),
    /// at most <paramref name="maxExtensions"/> times. The reminder is due again before the new deadline.
    /// </summary>
    public DocumentEvent ExtendDeadline(int days, int maxDays, int maxExtensions, DateTimeOffset at, string actor, string note)
    {
        Require(DocumentTransition.ExtendDeadline, DocumentState.ReadyForPickup);
        if (days < 1 || days > maxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"An extension is 1 to {maxDays} days.");
        }
        if (DeadlineExtensions >= maxExtensions)
        {
            throw new DocumentTransitionException(State, DocumentTransition.ExtendDeadline, $"it was extended {DeadlineExtensions} times already");
        }
        if (PickupDeadline is not { } deadline)
        {
            throw new DocumentTransitionException(State, DocumentTransition.ExtendDeadline, "it has no deadline");
        }
        PickupDeadline = deadline.AddDays(days);
        DeadlineExtensions++;
        ReminderSentAt = null;
        return Timeline(DocumentEventKind.DeadlineExtended, at, actor, note);
    }

    /// <summary>A clerk lifts a lock after failed attempts (and clears the count), in any state.</summary>
    public DocumentEvent LiftLock(DateTimeOffset at, string actor, string note)
    {
        PickupLockedAt = null;
        FailedPickupAttempts = 0;
        return Timeline(DocumentEventKind.LockLifted, at, actor, note);
    }

    /// <summary>A clerk blocks it for legal reasons (reported lost, seized, handover refused), in any state: the box will not release it.</summary>
    public DocumentEvent Block(string reason, DateTimeOffset at, string actor, string note)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, BlockedReasonMaxLength, nameof(reason));
        BlockedReason = reason;
        return Timeline(DocumentEventKind.Blocked, at, actor, note);
    }

    public DocumentEvent Unblock(DateTimeOffset at, string actor, string note)
    {
        BlockedReason = null;
        return Timeline(DocumentEventKind.Unblocked, at, actor, note);
    }

    /// <summary>The reminder SMS before the deadline was queued; once per loading.</summary>
    public DocumentEvent RecordReminder(DateTimeOffset at, string actor, string note)
    {
        Require(DocumentTransition.RecordReminder, DocumentState.ReadyForPickup);
        if (ReminderSentAt is not null)
        {
            throw new DocumentTransitionException(State, DocumentTransition.RecordReminder, "the reminder was sent already");
        }
        ReminderSentAt = at;
        return Timeline(DocumentEventKind.ReminderSent, at, actor, note);
    }

    /// <summary>
    /// Erases the holder's personal data once the document left the box for good (picked up or back at the counter);
    /// what stays is the anonymised record for statistics. Once only.
    /// </summary>
    public DocumentEvent ErasePersonalData(DateTimeOffset at, string actor, string note)
    {
        Require(DocumentTransition.ErasePersonalData, DocumentState.PickedUp, DocumentState.BackAtCounter);
        if (PersonalDataErasedAt is not null)
        {
            throw new DocumentTransitionException(State, DocumentTransition.ErasePersonalData, "it is erased already");
        }
        HolderName = "";
        DateOfBirth = DateOnly.MinValue;
        MobileNumber = "";
        // The household key is a keyed hash of someone's mobile number: it would still link the record to that person.
        HouseholdId = null;
        OldDocumentNumbers = [];
        // Unique and outside the document alphabet, so it never meets a real number again.
        DocumentNumber = "~" + Id.ToString("N")[..8].ToUpperInvariant();
        PinHash = null;
        ClearAuthorization();
        PersonalDataErasedAt = at;
        return Timeline(DocumentEventKind.PersonalDataErased, at, actor, note);
    }

    /// <summary>
    /// A clerk joins it to another household (<paramref name="householdKey"/>), so they share one compartment and PIN:
    /// only while it is at the counter, before loading.
    /// </summary>
    public DocumentEvent JoinHousehold(string householdKey, DateTimeOffset at, string actor, string note)
    {
        ArgumentException.ThrowIfNullOrEmpty(householdKey);
        Require(DocumentTransition.JoinHousehold, DocumentState.Arrived);
        HouseholdId = householdKey;
        return Timeline(DocumentEventKind.JoinedHousehold, at, actor, note);
    }

    // The proof and who collected stay: they tell how it was handed over, not to whom.
    private void ClearAuthorization()
    {
        AuthorizedName = null;
        AuthorizedDateOfBirth = null;
        AuthorizedMobileNumber = null;
        AuthorizedMobileNumberHash = null;
        AuthorizedAt = null;
    }

    private void Require(DocumentTransition transition, params ReadOnlySpan<DocumentState> from)
    {
        foreach (var state in from)
        {
            if (state == State)
            {
                return;
            }
        }
        throw new DocumentTransitionException(State, transition);
    }

    private DocumentEvent Timeline(DocumentEventKind kind, DateTimeOffset at, string actor, string note, string? compartmentLabel = null) =>
        DocumentEvent.For(this, kind, at, actor, note, compartmentLabel);
}

public enum DocumentType
{
    Passport,
    IdCard,
    ChildPassport,
    ResidencePermit,
}

public enum DocumentState
{
    /// <summary>Arrived from the printing office, registered, not in a compartment.</summary>
    Arrived,

    /// <summary>A clerk is putting it into a compartment right now.</summary>
    Loading,

    /// <summary>In its compartment, PIN sent: the citizen can pick it up.</summary>
    ReadyForPickup,

    /// <summary>The citizen passed the checks; the compartment is being opened.</summary>
    PickupOpening,

    /// <summary>Handed over: the citizen took it and the door closed.</summary>
    PickedUp,

    /// <summary>A clerk is taking it back out of its compartment (overdue, or on request).</summary>
    Retrieving,

    /// <summary>Back at the counter after retrieval: the citizen picks it up in person.</summary>
    BackAtCounter,

    /// <summary>Vermisst: an inventory found its compartment without it; the PIN is void.</summary>
    Missing,
}

/// <summary>What a timeline line records; reports and statistics select by it, the note is for people.</summary>
public enum DocumentEventKind
{
    Note,
    Registered,
    LoadStarted,
    LoadAborted,
    Loaded,
    PickupStarted,
    PickupNotOpened,
    PickedUp,
    LockedAfterFailures,
    LockLifted,
    PinReissued,
    Blocked,
    Unblocked,
    ReminderSent,
    RetrievalStarted,
    RetrievalAborted,
    Retrieved,
    PersonalDataErased,
    JoinedHousehold,

    /// <summary>A pickup at the box refused because the PIN or the second factor was wrong (never with what was entered).</summary>
    PickupRefused,

    /// <summary>A clerk recorded a person authorised to collect it (never with that person's data).</summary>
    AuthorizationRecorded,

    AuthorizationRevoked,

    DeadlineExtended,

    /// <summary>Reported missing after an inventory found its compartment without it.</summary>
    ReportedMissing,

    /// <summary>Taken back to the counter after an inventory.</summary>
    ReturnedToCounter,

    /// <summary>Reported missing, then found again: back at the counter.</summary>
    FoundAgain,
}

/// <summary>One line of a document's history (state changes and what staff did), shown as its timeline.</summary>
public sealed class DocumentEvent
{
    public long Id { get; set; }

    public Guid DocumentId { get; set; }

    public DateTimeOffset At { get; set; }

    public DocumentState State { get; set; }

    public DocumentEventKind Kind { get; set; }

    /// <summary>The compartment it concerns, as printed on the door (e.g. "03-07"), when there is one.</summary>
    public string? CompartmentLabel { get; set; }

    /// <summary>"staff:&lt;user&gt;", "box:&lt;code&gt;", "api", "system".</summary>
    public string Actor { get; set; } = "";

    /// <summary>What happened, in German, for the timeline (never a PIN or other secret).</summary>
    public string Note { get; set; } = "";

    /// <summary>The second staff member who confirmed it ("staff:&lt;user&gt;"; a four-eyes loading), or null.</summary>
    public string? ConfirmedBy { get; set; }

    /// <summary>A timeline line for the document as it is now (its state after the change).</summary>
    public static DocumentEvent For(
        Document document, DocumentEventKind kind, DateTimeOffset at, string actor, string note, string? compartmentLabel = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new DocumentEvent
        {
            DocumentId = document.Id,
            At = at,
            State = document.State,
            Kind = kind,
            CompartmentLabel = compartmentLabel,
            Actor = actor,
            Note = note,
        };
    }
}
