namespace BackOffice.Domain.Documents;

/// <summary>
/// What the citizen showed at the counter before a clerk reissued their PIN. A fixed choice rather than free text, so
/// the audit trail records how identity was checked without ever holding a typed document number or name.
/// </summary>
public enum IdentityProof
{
    IdCard,
    Passport,
    ResidencePermit,
    OtherOfficialPhotoId,
}

/// <summary>
/// What authorises another person to collect a document, as the clerk saw it. A fixed choice like
/// <see cref="IdentityProof"/>: the audit trail records how the authorisation was checked, never a typed text.
/// </summary>
public enum AuthorizationProof
{
    /// <summary>A written authorisation signed by the holder, with a copy of the holder's ID.</summary>
    SignedAuthorizationWithIdCopy,

    /// <summary>The office's authorisation form, signed by the holder.</summary>
    SignedAuthorizationForm,

    /// <summary>A parent or guardian of a minor holder (custody shown).</summary>
    ParentalCustody,

    /// <summary>A court-appointed legal guardian (Betreuerausweis).</summary>
    LegalGuardianship,

    /// <summary>Recorded with the application by the registration software (API, CSV import).</summary>
    RecordedWithApplication,
}
