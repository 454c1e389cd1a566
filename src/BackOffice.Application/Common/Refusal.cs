namespace BackOffice.Application.Common;

/// <summary>
/// A use case's "no" as a code, with the values its text names (a compartment label, a limit, a time). The UI words it:
/// the Web project's resource <c>Refusal.{Code}</c>, formatted with <see cref="Arguments"/>.
/// </summary>
/// <remarks>
/// The application layer returns no sentences to a page. German it writes itself is data, not UI text: timeline notes,
/// SMS texts, reasons stored with a record (a loading's abort reason, a compartment's check reason), report content and
/// the answers the box panel shows to citizens.
/// </remarks>
public sealed record Refusal(RefusalCode Code, params object[] Arguments)
{
    public bool Equals(Refusal? other) => other is not null && Code == other.Code && Arguments.SequenceEqual(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Code, Arguments.Length);

    public override string ToString() => Arguments.Length == 0 ? Code.ToString() : $"{Code}({string.Join(", ", Arguments)})";
}

/// <summary>Why a use case refused, by feature. Each has a German text in the Web resources (<c>Refusal.{name}</c>).</summary>
public enum RefusalCode
{
    // Opening a compartment (service opening, retrieval, loading).
    UnknownCompartment,
    BoxOffline,
    BoxNeverOnline,
    CompartmentOutOfService,
    ReasonRequired,

    // Retrieval to the counter.
    NothingToRetrieve,
    OpeningForPickup,
    AlreadyRetrieving,
    CompartmentOpenedMeanwhile,

    // Loading.
    DocumentsNotFound,
    DocumentsNotAtCounter,
    DocumentsForSeveralBoxes,
    OtherHousehold,
    CompartmentOfOtherBox,
    CompartmentNotFree,
    CompartmentNeedsCheck,
    CompartmentTooSmall,
    CompartmentTakenMeanwhile,
    LoadBoxOffline,
    LoadBoxNeverOnline,
    CompartmentCannotOpen,
    LoadWitnessRequired,

    // A clerk's actions on a document.
    DocumentNotFound,
    IdentityProofRequired,
    PinOnlyWhenReady,
    BlockReasonRequired,
    JoinReasonRequired,
    JoinOnlyAtCounter,
    DocumentChangedMeanwhile,
    LiftReasonRequired,
    FoundReasonRequired,
    FoundOnlyWhenMissing,
    MobileNumberNotChangeable,

    // Pickup by an authorised person (Vollmacht) and deadline extension.
    AuthorizationProofRequired,
    AuthorizationNotPossible,
    AuthorizationExists,
    AuthorizationSharedCompartment,
    AuthorizationMissing,
    AuthorizedDateOfBirthInvalid,
    ExtensionReasonRequired,
    ExtensionDaysRange,
    ExtensionOnlyWhenReady,
    ExtensionLimitReached,

    // Boxes, modules and compartments.
    BoxCodeTaken,
    BoxGone,
    BoxChangedMeanwhile,
    ModuleRows,
    TooManyModules,
    ModuleAddedMeanwhile,
    OutOfServiceReasonRequired,
    OnlyFreeCompartmentOutOfService,
    CompartmentNotOutOfService,
    CompartmentGone,
    CompartmentChangedMeanwhile,
    BoxCodeFormat,
    BoxNameRequired,
    BoxAddressRequired,
    UnknownTimeZone,
    PickupDeadlineDays,
    OpeningPeriodReversed,
    OpeningPeriodsOverlap,
    NoOpeningHours,

    // Registering documents (form, CSV, API).
    UnknownDocumentType,
    DocumentNumberFormat,
    HolderNameRequired,
    HolderNameCharacters,
    DateOfBirthInvalid,
    MobileNumberInvalid,
    OldDocumentNumbersFormat,
    OldDocumentNumberIsNew,
    ApplicationReferenceFormat,
    UnknownBox,
    ReferenceTaken,
    NumberTaken,
    DuplicateInFile,
    FileUnreadable,
    FileEmpty,
    FileHeaderMismatch,
    FileTooManyRows,
    FileTooLarge,

    // The old-ID bin.
    CountRequired,
    NoteTooLong,
    WitnessMustDiffer,
    BinBoxNotFound,
    CountDiffers,
    WitnessRefused,
    WitnessCheckLocked,
    WitnessSignInMissing,
    WitnessSignInStale,
    WitnessWithoutRole,
    WitnessNeedsDirectorySignIn,
    FollowUpNoteRequired,
    EntryNotFound,
    AlreadyFollowedUp,

    // Inventory (Inventur).
    InventoryAlreadyOpen,
    InventoryNothingToCheck,
    InventoryNotFound,
    InventoryNotRunning,
    InventoryFindingMissing,
    InventoryDoorStillOpen,
    InventoryChangedMeanwhile,
    InventoryNumberRequired,
    InventoryNumberBelongsHere,
    InventoryAlreadySettled,

    // Reports.
    ReportFromInvalid,
    ReportToInvalid,
    ReportDocumentInvalid,
    ReportBoxRequired,
    ReportPeriodRequired,
    ReportPeriodReversed,
    ReportPeriodTooLong,
    ReportDocumentRequired,
    ReportBoxUnknown,
}
