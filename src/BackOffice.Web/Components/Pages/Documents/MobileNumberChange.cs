using BackOffice.Domain.Documents;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>What the mobile number dialog hands back: the identity document shown and the new number as typed.</summary>
public sealed record MobileNumberChange(IdentityProof Proof, string MobileNumber);
