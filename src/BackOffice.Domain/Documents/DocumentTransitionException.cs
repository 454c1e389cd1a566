namespace BackOffice.Domain.Documents;

/// <summary>The steps of a document's lifecycle, one per method of <see cref="Document"/> that changes it.</summary>
public enum DocumentTransition
{
    Register,
    StartLoading,
    CompleteLoading,
    AbortLoading,
    StartPickup,
    ResumePickup,
    RevertPickup,
    HandOver,
    StartRetrieval,
    RevertRetrieval,
    CompleteRetrieval,
    RecordFailedAttempt,
    ReissuePin,
    LiftLock,
    Block,
    Unblock,
    RecordReminder,
    ErasePersonalData,
    JoinHousehold,
    RecordAuthorization,
    RevokeAuthorization,
    ExtendDeadline,
    ReportMissing,
    ReturnToCounter,
    ReportFound,
}

/// <summary>
/// A step the document's lifecycle does not allow from where it is (e.g. a pickup of a document still at the counter).
/// The services check what a person can fix first and answer in German; this means the code asked for the impossible.
/// </summary>
public sealed class DocumentTransitionException(DocumentState from, DocumentTransition transition, string? reason = null)
    : InvalidOperationException($"A document in state {from} cannot {transition}{(reason is null ? "" : $": {reason}")}.")
{
    public DocumentState From { get; } = from;

    public DocumentTransition Transition { get; } = transition;
}
