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
